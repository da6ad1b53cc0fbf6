using EvidenceCheck.Core.Campaigns;

namespace EvidenceCheck.Storage.Tests;

/// <summary>The in-memory window of recent report texts the campaign logic compares new texts with.</summary>
public class TextBandIndexTests
{
    [Fact]
    public void Add_ReturnsEachKeyAsItWasBefore_AndRemembersFirstAndLast()
    {
        var index = new TextBandIndex(100);

        var first = index.Add([1, 2], "r-1");
        var second = index.Add([2, 3], "r-2");

        Assert.All(first, k => Assert.Equal(KeyStats.Empty, k));
        Assert.Equal(1, second[0].Reports);
        Assert.Equal("r-1", second[0].LastReportId);
        Assert.Equal(0, second[1].Reports);
        var key2 = index.Get(2);
        Assert.Equal(2, key2.Reports);
        Assert.Equal("r-1", key2.FirstReportId);
        Assert.Equal("r-2", key2.LastReportId);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    public void Add_AlwaysReturnsWhatGetSaidJustBefore_ThroughRotationsRepeatsAndResubmissions(int capacity)
    {
        // Add reads and counts each key in one pass; this pins it to its contract on every path: a report that starts a
        // new generation, one that names a key twice, a report id seen before, and keys shared across reports.
        var index = new TextBandIndex(capacity);
        var random = new Random(capacity);
        for (var n = 0; n < 5_000; n++)
        {
            var keys = Enumerable.Range(0, random.Next(1, 9)).Select(_ => (long)random.Next(40)).ToArray();
            var id = "r-" + (random.Next(10) == 0 ? random.Next(n + 1) : n);
            var expected = keys.Select(index.Get).ToArray();
            var known = index.Contains(id);

            Assert.Equal(expected, index.Add(keys, id));
            if (known) continue;
            Assert.All(keys, k => Assert.Equal(id, index.Get(k).LastReportId));
        }
    }

    [Fact]
    public void Add_SameReportTwice_CountsItOnce()
    {
        var index = new TextBandIndex(100);
        index.Add([7], "r-1");

        index.Add([7], "r-1");

        Assert.Equal(1, index.Get(7).Reports);
        Assert.Equal(1, index.Count);
    }

    [Fact]
    public void Window_DropsTheOlderHalfAtATime_NeverTheRecentReports()
    {
        var index = new TextBandIndex(4);
        for (var i = 1; i <= 6; i++) index.Add([i, 1000], $"r-{i}");

        // Generations of 2: {r-1, r-2} were dropped when r-5 arrived; {r-3, r-4} and {r-5, r-6} remain.
        Assert.False(index.Contains("r-1"));
        Assert.False(index.Contains("r-2"));
        Assert.Equal(KeyStats.Empty, index.Get(1));
        Assert.True(index.Contains("r-3"));
        Assert.True(index.Contains("r-6"));
        var shared = index.Get(1000);
        Assert.Equal(4, shared.Reports);
        Assert.Equal("r-3", shared.FirstReportId);
        Assert.Equal("r-6", shared.LastReportId);
    }

    [Fact]
    public void Clear_ForgetsEverything()
    {
        var index = new TextBandIndex(10);
        index.Add([1], "r-1");

        index.Clear();

        Assert.Equal(0, index.Count);
        Assert.Equal(KeyStats.Empty, index.Get(1));
    }

    [Fact]
    public void ManyKeys_AreAllFound_AsAPlainListOfTheWindowsReportsSays()
    {
        // Enough keys to grow the tables many times over and rotate them, with the extreme and zero keys among them: every
        // key's count, first and last report are checked against the reports of the two generations in the window.
        const int capacity = 6_000, generation = capacity / 2;
        var index = new TextBandIndex(capacity);
        var random = new Random(7);
        var reports = new List<(string Id, long[] Keys)>();
        long[] special = [0, long.MinValue, long.MaxValue, -1];
        for (var n = 0; n < 20_000; n++)
        {
            var keys = Enumerable.Range(0, 8).Select(_ => random.Next(20) == 0 ? special[random.Next(special.Length)] : random.NextInt64(0, 60_000)).Distinct().ToArray();
            index.Add(keys, "r-" + n);
            reports.Add(("r-" + n, keys));
        }
        var windowStart = (reports.Count - 1) / generation * generation - generation;
        var window = reports.Skip(windowStart).ToList();
        var expected = new Dictionary<long, (int Reports, string First, string Last)>();
        foreach (var (id, keys) in window)
            foreach (var k in keys)
                expected[k] = expected.TryGetValue(k, out var e) ? (e.Reports + 1, e.First, id) : (1, id, id);

        Assert.Equal(window.Count, index.Count);
        foreach (var (key, (count, first, last)) in expected)
            Assert.Equal(new KeyStats(count, 0, null, first, last, null), index.Get(key));
        Assert.Equal(KeyStats.Empty, index.Get(60_001));
        Assert.All(reports.Take(windowStart).SelectMany(r => r.Keys).Where(k => !expected.ContainsKey(k)).Take(100),
            k => Assert.Equal(KeyStats.Empty, index.Get(k)));
    }

    [Fact]
    public void ABandSharedByMoreReportsThanItCounts_SaturatesItsCount_AndKeepsItsFirstAndLastReports()
    {
        var index = new TextBandIndex(100_000);
        var copies = TextBandIndex.MaxCount + 10;
        for (var i = 0; i < copies; i++) index.Add([42, 1000 + i], $"r-{i}");

        var shared = index.Get(42);
        Assert.Equal(new KeyStats(TextBandIndex.MaxCount, 0, null, "r-0", $"r-{copies - 1}", null), shared);
        Assert.Equal(1, index.Get(1000 + copies - 1).Reports);
    }

    [Fact]
    public void Capacity_AboveWhatARingSlotCanName_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new TextBandIndex(TextBandIndex.MaxCapacity + 1));

    [Fact]
    public void Capacity_BelowTwo_IsRefused() => Assert.Throws<ArgumentOutOfRangeException>(() => new TextBandIndex(1));
}
