using System.Diagnostics;
using EvidenceCheck.Core.Campaigns;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// The writer's in-memory MinHash band index (<see cref="TextBandIndex"/>) alone: one Add per report with text (8 band
/// keys, each looked up and counted), on an index already holding its default window of recent reports, so every lookup
/// misses the CPU caches as it does in the service. One report in ten copies an earlier script (its keys are shared).
/// Single thread; ns per Add, median of the rounds. Compare builds by running it on each, alternating.
///   dotnet run -c Release --project tests/EvidenceCheck.Benchmarks -- textindex [rounds] [adds-per-round]
/// </summary>
public static class TextIndexBenchmark
{
    public static Task<int> Run(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0]) : 9;
        var perRound = args.Length > 1 ? int.Parse(args[1]) : 200_000;
        var capacity = new CampaignOptions().TextIndexReports;
        var index = new TextBandIndex(capacity);
        var random = new Random(42);
        var scripts = Enumerable.Range(0, 1_000).Select(_ => Keys(random)).ToArray();
        var ids = Enumerable.Range(0, capacity * 2 + rounds * perRound).Select(i => "r-" + i).ToArray();
        var keys = ids.Select(_ => random.Next(10) == 0 ? scripts[random.Next(scripts.Length)] : Keys(random)).ToArray();

        var next = 0;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        // Fill past one rotation: both generations hold reports, as in a service that has run a while.
        while (next < capacity * 2) index.Add(keys[next], ids[next++]);
        // The report ids are not counted: they are made before, and the service holds them anyway.
        var held = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Console.WriteLine($"textindex benchmark: TextBandIndex of {capacity:N0} reports, {TextSignature.Bands} band keys per report, {rounds} rounds × {perRound:N0} adds, 1 thread (median)");
        Console.WriteLine($"memory : the filled index holds {held / 1e6:N1} MB of managed heap");
        var nanos = new List<double>();
        long linked = 0;
        for (var r = 0; r < rounds; r++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < perRound; i++)
                foreach (var before in index.Add(keys[next], ids[next++]))
                    if (before.Reports > 0) linked++;
            nanos.Add(watch.Elapsed.TotalNanoseconds / perRound);
        }
        nanos.Sort();
        Console.WriteLine($"RESULT ns_per_add={nanos[nanos.Count / 2]:F0} min={nanos[0]:F0} max={nanos[^1]:F0} keys_seen_before={linked:N0} held_mb={held / 1e6:F1}");
        GC.KeepAlive(index);
        return Task.FromResult(0);
    }

    private static long[] Keys(Random random)
    {
        var keys = new long[TextSignature.Bands];
        for (var b = 0; b < keys.Length; b++) keys[b] = random.NextInt64(long.MinValue, long.MaxValue);
        return keys;
    }
}
