namespace EvidenceCheck.Benchmarks;

/// <summary>Compiled only while the benchmarks have no Program.cs of their own: runs the service suite alone.</summary>
internal static class ServiceLoadMain
{
    public static Task<int> Main(string[] args) => ServiceLoadBenchmark.Run(args);
}
