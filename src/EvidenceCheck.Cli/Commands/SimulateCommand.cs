using System.Diagnostics;
using System.Globalization;
using EvidenceCheck.Learning.Simulation;

namespace EvidenceCheck.Cli.Commands;

/// <summary>evidencecheck simulate: writes a labelled data set of v1 reports from the platform simulator.</summary>
internal sealed class SimulateCommand : ICliCommand
{
    public string Name => "simulate";
    public string Summary => "Simulate a meeting platform and write labelled reports (JSON Lines).";
    public string Usage => """
        Usage: evidencecheck simulate --out reports.jsonl --labels labels.jsonl [--seed N] [--scale X]

          --out FILE      reports, one plain v1 report per line
          --labels FILE   labels, one {reportId, fabricated, family, campaignId} per line, same order
          --seed N        random seed (default 1): the same seed writes the same files
          --scale X       size: 1.0 is about 10,000 reports (default 1.0)
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var o = CommandOptions.Parse(args, ["--out", "--labels", "--seed", "--scale"]);
        var options = new SimulationOptions
        {
            Seed = o.Int("--seed") ?? 1,
            Scale = o.Double("--scale") ?? 1.0,
        };
        var outPath = o.Required("--out");
        var labelsPath = o.Required("--labels");
        var clock = Stopwatch.StartNew();
        var data = PlatformSimulator.Run(options);
        cancel.ThrowIfCancellationRequested();
        CommandOptions.EnsureFolder(outPath);
        CommandOptions.EnsureFolder(labelsPath);
        await using (var reports = new StreamWriter(outPath, false, new System.Text.UTF8Encoding(false), 1 << 20))
        await using (var labels = new StreamWriter(labelsPath, false, new System.Text.UTF8Encoding(false), 1 << 16))
            PlatformSimulator.Write(data, reports, labels);
        var fabricated = data.Count(d => d.Label.Fabricated);
        await io.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"simulate: {data.Count} reports ({fabricated} fabricated, {data.Count - fabricated} genuine) from seed {options.Seed} in {clock.Elapsed.TotalSeconds:0.0} s → {outPath}, {labelsPath}"));
        return 0;
    }
}

/// <summary>The "--name value" options of the learning commands; an unknown option is a usage error.</summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static CommandOptions Parse(string[] args, string[] known, string[]? flags = null)
    {
        var o = new CommandOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (flags is not null && flags.Contains(name)) { o._values[name] = "true"; continue; }
            if (!known.Contains(name)) throw new UsageException($"unknown option '{name}'.");
            if (i + 1 >= args.Length) throw new UsageException($"{name} needs a value.");
            o._values[name] = args[++i];
        }
        return o;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);
    public bool Flag(string name) => _values.ContainsKey(name);
    public string Required(string name) => Get(name) ?? throw new UsageException($"{name} is required.");

    public int? Int(string name) => Get(name) is not { } v ? null
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : throw new UsageException($"{name}: '{v}' is not a whole number.");

    public double? Double(string name) => Get(name) is not { } v ? null
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d > 0 ? d : throw new UsageException($"{name}: '{v}' is not a positive number.");

    public static void EnsureFolder(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
    }
}
