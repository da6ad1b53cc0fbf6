namespace EvidenceCheck.Benchmarks;

/// <summary>
/// Benchmarks, run on demand (never in CI), always in Release:
///   dotnet run -c Release --project tests/EvidenceCheck.Benchmarks -- SUITE [options]
/// Each suite prints medians of repeated runs and ratios against a baseline run side by side.
/// </summary>
internal static class Program
{
    private static readonly Dictionary<string, (string Summary, Func<string[], Task<int>> Run)> Suites = new()
    {
        ["score"] = ("reports/s per core for parse + score + serialise, against Json.NET parsing alone", ScoreBenchmark.Run),
        ["service"] = ("the running service: single scores/s with p50/p99, batch reports/s, memory, over pre-filled stores", ServiceLoadBenchmark.Run),
        ["train"] = ("simulate 100k reports, measure, train FastTree + calibration; tree-walk vs ML.NET prediction cost", TrainBenchmark.Run),
        ["inspect"] = ("evidence files/s per core, metadata only, against reading the bytes and hashing them", InspectBenchmark.Run),
        ["textindex"] = ("ns per report in the writer's MinHash band index, at its default window of recent reports", TextIndexBenchmark.Run),
    };

    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || !Suites.TryGetValue(args[0], out var suite))
        {
            Console.Error.WriteLine("Usage: dotnet run -c Release --project tests/EvidenceCheck.Benchmarks -- SUITE [options]\n\nSuites:");
            foreach (var (name, (summary, _)) in Suites) Console.Error.WriteLine($"  {name,-10} {summary}");
            return 2;
        }
#if DEBUG
        Console.Error.WriteLine("warning: a Debug build; run with -c Release for figures worth quoting.");
#endif
        return await suite.Run(args[1..]);
    }
}
