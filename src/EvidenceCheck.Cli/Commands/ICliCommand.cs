namespace EvidenceCheck.Cli.Commands;

/// <summary>
/// One subcommand of <c>evidencecheck</c>. Commands are discovered: adding one is one new file.
/// </summary>
internal interface ICliCommand
{
    /// <summary>The word that selects it: <c>evidencecheck NAME ...</c>.</summary>
    string Name { get; }
    /// <summary>One line for the command list.</summary>
    string Summary { get; }
    /// <summary>Full usage text, shown for --help and after a usage error.</summary>
    string Usage { get; }
    /// <summary>Runs the command; returns the process exit code (0 ok, 1 some input failed, 2 usage or I/O error).</summary>
    Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel);
}

/// <summary>The streams a command talks to, so tests can run commands in-process.</summary>
internal sealed record CliIo(TextReader In, TextWriter Out, TextWriter Error, bool ErrorIsTerminal, bool OutIsTerminal = false)
{
    /// <summary>Standard input is read as UTF-8 whatever the terminal says, marking bytes that are not (JsonLinesReader refuses those lines).</summary>
    public static CliIo Console() => new(
        new StreamReader(System.Console.OpenStandardInput(), Core.Contract.Utf8Text.Marking, detectEncodingFromByteOrderMarks: false), System.Console.Out, System.Console.Error,
        !System.Console.IsErrorRedirected, !System.Console.IsOutputRedirected);
}

/// <summary>A usage mistake: printed with the command's usage, exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
