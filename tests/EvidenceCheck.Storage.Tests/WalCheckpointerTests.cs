using EvidenceCheck.Core.Campaigns;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

public class WalCheckpointerTests
{
    /// <summary>
    /// One group as the writer writes it under load: its transaction begins right after the last commit, so a background
    /// pass runs while it is open (here: during the pause), then ~64 KB are committed and the checkpointer told.
    /// </summary>
    private static void Group(SqliteConnection writer, WalCheckpointer checkpointer, int n)
    {
        SqliteSchema.Execute(writer, "BEGIN IMMEDIATE;");
        Thread.Sleep(150);
        SqliteSchema.Execute(writer, $"""
            WITH RECURSIVE k(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM k WHERE v < 16)
            INSERT INTO filler (n, blob) SELECT {n} * 16 + v, randomblob(4000) FROM k;
            COMMIT;
            """);
        checkpointer.Committed();
    }

    /// <summary>Frames in the log now, as a passive checkpoint on another connection sees them.</summary>
    private static long LogFrames(StorageOptions options)
    {
        using var c = SqliteSchema.Open(options);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var r = cmd.ExecuteReader();
        r.Read();
        return r.GetInt64(1);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void SteadyCommits_TheWriterStartsTheLogOverBeyondTheLimit_PassiveCheckpointsAloneNeverDo(bool writerRestarts, bool coalesceLogIo)
    {
        // A pass every 100 ms, so one runs inside each group's 150 ms pause.
        var options = new StorageOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "ec-wal-" + Guid.NewGuid().ToString("n")), CheckpointIntervalMilliseconds = 100,
        };
        try
        {
            SqliteSchema.Migrate(options);
            using var writer = SqliteSchema.Open(options, coalesceLogIo: coalesceLogIo);
            SqliteSchema.Execute(writer, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE filler (n INTEGER PRIMARY KEY, blob BLOB);");
            using (var checkpointer = new WalCheckpointer(options, restartLogBytes: 256 * 1024))
                for (var i = 0; i < 24; i++)
                {
                    if (writerRestarts) checkpointer.RestartLogIfLarge(writer);
                    Group(writer, checkpointer, i);
                }

            var frames = LogFrames(options);
            // 24 commits of ~17 pages: ~400 frames if the log is never started over, under ~130 (512 KB) if it is.
            if (writerRestarts) Assert.InRange(frames, 1, 130);
            else Assert.True(frames > 300, $"{frames} frames");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A background pass as the checkpointer's own thread runs it, holding its lock for <paramref name="milliseconds"/>.</summary>
    private static Thread PassRunning(WalCheckpointer checkpointer, int milliseconds)
    {
        using var holding = new ManualResetEventSlim();
        var pass = new Thread(() =>
        {
            using (checkpointer.PassRunning())
            {
                holding.Set();
                Thread.Sleep(milliseconds);
            }
        });
        pass.Start();
        holding.Wait();
        return pass;
    }

    [Fact]
    public void RestartDue_WhileAPassRuns_TheWriterGoesOnAndRestartsInTheGapAfterIt_ButWaitsPastTwiceTheLimit()
    {
        var options = new StorageOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "ec-wal-" + Guid.NewGuid().ToString("n")), CheckpointIntervalMilliseconds = 100,
        };
        try
        {
            SqliteSchema.Migrate(options);
            using var writer = SqliteSchema.Open(options, coalesceLogIo: true);
            SqliteSchema.Execute(writer, """
                PRAGMA wal_autocheckpoint = 0; CREATE TABLE filler (n INTEGER PRIMARY KEY, blob BLOB);
                PRAGMA wal_checkpoint(TRUNCATE);
                """);
            // ~17 pages a group: after one group a pass sees the log beyond the limit (12 pages), not beyond twice it.
            using var checkpointer = new WalCheckpointer(options, restartLogBytes: 12 * 4120);
            Group(writer, checkpointer, 0);
            Assert.True(SpinWait.SpinUntil(() => checkpointer.LogFramesSeen > 12, 3000), "no pass saw the log");

            var pass = PassRunning(checkpointer, 600);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            checkpointer.RestartLogIfLarge(writer);
            // Under twice the limit the writer does not wait for the pass: it goes on with its next group...
            Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(300), $"waited {watch.ElapsedMilliseconds} ms");
            Assert.True(checkpointer.LogFramesSeen > 12, "the log was started over while the pass held it");
            pass.Join();
            // ...and starts the log over in the gap after it.
            Assert.True(SpinWait.SpinUntil(() =>
            {
                checkpointer.RestartLogIfLarge(writer);
                return checkpointer.LogFramesSeen == 0;
            }, 3000), "the writer did not start the log over after the pass");

            // Twice the limit and more: the writer waits for the pass, then starts the log over.
            for (var i = 1; i <= 3; i++) Group(writer, checkpointer, i);
            Assert.True(SpinWait.SpinUntil(() => checkpointer.LogFramesSeen > 24, 3000), "no pass saw the log");
            pass = PassRunning(checkpointer, 300);
            var waited = System.Diagnostics.Stopwatch.StartNew();
            checkpointer.RestartLogIfLarge(writer);
            Assert.True(waited.Elapsed >= TimeSpan.FromMilliseconds(250), $"did not wait: {waited.ElapsedMilliseconds} ms");
            Assert.Equal(0, checkpointer.LogFramesSeen);
            pass.Join();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task Ledger_WritesMoreLogThanLogRestartMegabytes_StartsItOverAndKeepsTheFileNearThatSize()
    {
        var options = new StorageOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "ec-wal-" + Guid.NewGuid().ToString("n")),
            LogRestartMegabytes = 16, CheckpointIntervalMilliseconds = 10,
            // Every report in the writer's hands at once, so that it commits back to back (with the default budget it
            // waits for the submitters between groups, and the background passes sometimes kept the log under 16 MB).
            QueueCapacity = 15_000,
        };
        try
        {
            long largest = 0;
            using (var ledger = new ReportLedger(options, TempStore.NewScorer(), new CampaignOptions()))
            {
                // All at once, so that the writer commits back to back (in a pause a background pass would catch up, and
                // SQLite would start the log over by itself).
                var submissions = Task.WhenAll(Enumerable.Range(0, 150)
                    .Select(b => ledger.SubmitManyAsync(Enumerable.Range(0, 100).Select(i => Some.Report($"r-{b}-{i}")).ToList())));
                while (!submissions.IsCompleted)
                {
                    largest = Math.Max(largest, new FileInfo(options.DatabasePath + "-wal").Length);
                    await Task.Delay(5);
                }
                await submissions;
                largest = Math.Max(largest, new FileInfo(options.DatabasePath + "-wal").Length);
            }
            // 15,000 reports write ~50 MB of log: started over beyond 16 MB, and past twice that the writer waits for it.
            Assert.InRange(largest, 16L << 20, 34L << 20);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [Theory]
    [InlineData(15)]
    [InlineData(65_537)]
    public void Options_LogRestartOutside16MiBTo64GiB_IsRefusedAtStart(int megabytes)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new StorageOptions { LogRestartMegabytes = megabytes }.Validated());
        Assert.Contains("LogRestartMegabytes must be between 16 and 65,536", e.Message);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(60_001)]
    public void Options_CheckpointIntervalOutsideTenMillisecondsToAMinute_IsRefusedAtStart(int milliseconds)
    {
        Assert.Empty(new StorageOptions().Problems());
        var e = Assert.Throws<InvalidOperationException>(() => new StorageOptions { CheckpointIntervalMilliseconds = milliseconds }.Validated());
        Assert.Contains("CheckpointIntervalMilliseconds must be between 10 and 60,000", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void Options_WriterCacheOutside1MiBTo4GiB_IsRefusedAtStart(int megabytes)
    {
        var e = Assert.Throws<InvalidOperationException>(() => new StorageOptions { WriterCacheMegabytes = megabytes }.Validated());
        Assert.Contains("WriterCacheMegabytes must be between 1 and 4096", e.Message);
    }

    [Fact]
    public void Connections_TakeTheReadersCache_AndTheWriterItsOwn()
    {
        var options = new StorageOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "ec-cache-" + Guid.NewGuid().ToString("n")), CacheMegabytes = 3, WriterCacheMegabytes = 5 };
        try
        {
            SqliteSchema.Migrate(options);
            using (var reader = SqliteSchema.Open(options, readOnly: true)) Assert.Equal(-3L * 1024, SqliteSchema.Scalar(reader, "PRAGMA cache_size"));
            using var ledger = new ReportLedger(options, TempStore.NewScorer(), new CampaignOptions());
            Assert.Equal(-5L * 1024, ledger.WriterCacheSize());
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public void Dispose_BetweenPasses_DoesNotWaitOutTheInterval()
    {
        var options = new StorageOptions
        {
            DataDirectory = Path.Combine(Path.GetTempPath(), "ec-wal-" + Guid.NewGuid().ToString("n")), CheckpointIntervalMilliseconds = 60_000,
        };
        try
        {
            SqliteSchema.Migrate(options);
            var checkpointer = new WalCheckpointer(options);
            checkpointer.Committed();
            Thread.Sleep(300); // the first pass runs, then the thread pauses for the interval
            var watch = System.Diagnostics.Stopwatch.StartNew();
            checkpointer.Dispose();
            // A service being stopped would otherwise hang for the rest of the minute.
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"Dispose took {watch.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}
