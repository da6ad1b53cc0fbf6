using System.Reflection;
using EvidenceCheck.Cli.Commands;

namespace EvidenceCheck.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
        var io = CliIo.Console();
        var output = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        try
        {
            return await RunAsync(args, io with { Out = output }, cancel.Token);
        }
        finally
        {
            await output.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Every command in this assembly, by name.</summary>
    public static IReadOnlyDictionary<string, ICliCommand> Commands { get; } =
        typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(ICliCommand).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (ICliCommand)Activator.CreateInstance(t)!)
            .ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await io.Out.WriteLineAsync(Overview());
            return args.Length == 0 ? 2 : 0;
        }
        if (!Commands.TryGetValue(args[0], out var command))
        {
            await io.Error.WriteLineAsync($"evidencecheck: unknown command '{args[0]}'.\n\n{Overview()}");
            return 2;
        }
        var rest = args[1..];
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            await io.Out.WriteLineAsync(command.Usage);
            return 0;
        }
        try
        {
            return await command.RunAsync(rest, io, cancel);
        }
        catch (UsageException e)
        {
            await io.Error.WriteLineAsync($"evidencecheck {command.Name}: {e.Message}\n\n{command.Usage}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            await io.Error.WriteLineAsync($"evidencecheck {command.Name}: cancelled.");
            return 130;
        }
        catch (IOException e)
        {
            await io.Error.WriteLineAsync($"evidencecheck {command.Name}: {e.Message}");
            return 2;
        }
        catch (UnauthorizedAccessException e)
        {
            await io.Error.WriteLineAsync($"evidencecheck {command.Name}: {e.Message}");
            return 2;
        }
    }

    private static string Overview()
    {
        var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var lines = Commands.Values.OrderBy(c => c.Name).Select(c => $"  {c.Name,-10} {c.Summary}");
        return $"evidencecheck {version.Split('+')[0]} — scores abuse reports for signs of fabrication.\n\n" +
               "Usage: evidencecheck COMMAND [options]   (evidencecheck COMMAND --help for its options)\n\nCommands:\n" +
               string.Join('\n', lines);
    }
}
