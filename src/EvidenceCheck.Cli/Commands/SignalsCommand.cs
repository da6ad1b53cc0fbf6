using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Cli.Commands;

/// <summary>signals: the detector catalogue — every signal the scorer measures, its family and rule weight.</summary>
internal sealed class SignalsCommand : ICliCommand
{
    public string Name => "signals";
    public string Summary => "List every signal the scorer measures, with its family and rule weight.";
    public string Usage => """
        Usage: evidencecheck signals

        Prints the detector catalogue in feature order (the order a trained model expects):
        name, family and weight in the rule-based combination (log-odds at full strength).
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        if (new ArgReader(args).Positionals().Count > 0) throw new UsageException("signals takes no arguments");
        foreach (var d in DetectorCatalog.Discover().Detectors)
            await io.Out.WriteLineAsync($"{d.Name,-44} {d.Family,-9} {d.Weight,5:0.0}");
        return 0;
    }
}
