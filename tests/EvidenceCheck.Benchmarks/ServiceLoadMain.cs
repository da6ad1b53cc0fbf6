namespace EvidenceCheck.Benchmarks;

/// <summary>Only compiled with -p:ServiceLoadMain=true: runs the service suite alone.</summary>
internal static class ServiceLoadMain
{
    public static Task<int> Main(string[] args) => ServiceLoadBenchmark.Run(args);
}
