using EvidenceCheck.Core.Campaigns;

namespace EvidenceCheck.Storage.Tests;

/// <summary>The writer thread's scheduling priority: raised where the process may, and said so where it may not.</summary>
public class WriterPriorityTests
{
    /// <summary>A thread's nice value, from /proc (the 19th field of its stat line, counted after the command name).</summary>
    private static int NiceOf(int threadId)
    {
        var stat = File.ReadAllText($"/proc/self/task/{threadId}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16]);
    }

    /// <summary>Opens a ledger on a store of its own with these options, once the thread <paramref name="threadOf"/> names runs.</summary>
    private static void WithLedger(Action<StorageOptions> configure, Func<ReportLedger, int> threadOf, Action<ReportLedger, int, List<string>> check)
    {
        var options = new StorageOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "ec-nice-" + Guid.NewGuid().ToString("n")) };
        configure(options);
        var log = new List<string>();
        try
        {
            using var ledger = new ReportLedger(options, TempStore.NewScorer(), new CampaignOptions(), m => { lock (log) log.Add(m); });
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (threadOf(ledger) == 0 && DateTime.UtcNow < deadline) Thread.Sleep(5);
            // The thread sets its priority first thing; give it the moment to.
            Thread.Sleep(50);
            lock (log) check(ledger, threadOf(ledger), [.. log]);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData(-10)]
    [InlineData(5)]
    [InlineData(0)]
    public void TheWriter_RunsAtItsConfiguredNice_OrTheLogSaysWhyNot(int nice)
    {
        if (!OperatingSystem.IsLinux()) return;
        WithLedger(o => o.WriterNice = nice, l => l.WriterThreadId, (_, thread, log) =>
        {
            var said = log.Where(m => m.Contains("report writer runs at the default priority")).ToArray();
            if (said.Length == 0) Assert.Equal(nice == 0 ? NiceOf(ThreadScheduling.CurrentThreadId()) : nice, NiceOf(thread));
            else
            {
                // Refused (no CAP_SYS_NICE): the writer kept the process's priority, and the reason was logged.
                Assert.True(nice < 0, "raising a nice value is always allowed");
                Assert.Contains("CAP_SYS_NICE", said[0]);
            }
        });
    }

    [Theory]
    [InlineData(5)]
    [InlineData(0)]
    public void TheCheckpointer_RunsAtItsConfiguredNice(int nice)
    {
        if (!OperatingSystem.IsLinux()) return;
        WithLedger(o => o.CheckpointNice = nice, l => l.CheckpointThreadId,
            (_, thread, _) => Assert.Equal(nice == 0 ? NiceOf(ThreadScheduling.CurrentThreadId()) : nice, NiceOf(thread)));
    }

    [Theory]
    [InlineData(-21, 0, "WriterNice")]
    [InlineData(0, 20, "CheckpointNice")]
    public void ANiceOutsideTheKernelsRange_IsRefused(int writer, int checkpoint, string named) =>
        Assert.Contains(named, Assert.Throws<InvalidOperationException>(() => new StorageOptions { WriterNice = writer, CheckpointNice = checkpoint }.Validated()).Message);
}
