using EvidenceCheck.Core.Campaigns;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

/// <summary>
/// Two processes (or two hosts in one test process) starting on one fresh store at once must both come up: each
/// migration step runs once, whoever gets there first, and the other finds it done.
/// </summary>
public class MigrationTests
{
    [Fact]
    public async Task StartsOnOneFreshStore_AtOnce_AllSucceed_AndEachStepRunsOnce()
    {
        for (var round = 0; round < 10; round++)
        {
            var options = new StorageOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "ec-migrate-" + Guid.NewGuid().ToString("n")) };
            try
            {
                using var ready = new Barrier(4);
                var starts = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
                {
                    ready.SignalAndWait();
                    SqliteSchema.Migrate(options);
                    new AuditLog(options, TimeProvider.System).Migrate();
                }, TaskCreationOptions.LongRunning)).ToArray();
                await Task.WhenAll(starts);

                using var c = SqliteSchema.Open(options);
                Assert.Equal((long)SqliteSchema.CurrentVersion, SqliteSchema.Scalar(c, "PRAGMA user_version;"));
                // One row per review-table step, not one per start.
                Assert.Equal(0L, SqliteSchema.Scalar(c, "SELECT count(*) - count(DISTINCT version) FROM review_schema_version"));
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                try { Directory.Delete(options.DataDirectory, recursive: true); } catch (IOException) { }
            }
        }
    }

    [Fact]
    public void ASecondWriter_OnOneStore_IsRefused_NamingIt_AndMayOpenOnceTheFirstCloses()
    {
        using var store = new TempStore();

        var refused = Assert.Throws<InvalidOperationException>(() => new ReportLedger(store.Options, TempStore.NewScorer(), new CampaignOptions()));
        Assert.Contains(store.Options.DatabasePath, refused.Message);
        Assert.Contains("already open for writing", refused.Message);

        store.Reopen();
        store.Ledger.Dispose();
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), File.ReadAllText(WriterLock.PathFor(store.Options)));
        store.Reopen(disposeFirst: false);
    }

    [Fact]
    public void AStoreThatDoesNotOpen_LeavesItsWriterLockFree()
    {
        using var store = new TempStore();
        store.Ledger.Dispose();
        using (var c = SqliteSchema.Open(store.Options)) SqliteSchema.Execute(c, $"PRAGMA user_version = {SqliteSchema.CurrentVersion + 1};");

        var newer = Assert.Throws<InvalidOperationException>(() => new ReportLedger(store.Options, TempStore.NewScorer(), new CampaignOptions()));
        Assert.Contains("newer than this build knows", newer.Message);

        using (var c = SqliteSchema.Open(store.Options)) SqliteSchema.Execute(c, $"PRAGMA user_version = {SqliteSchema.CurrentVersion};");
        store.Reopen(disposeFirst: false);
        Assert.NotNull(store.Ledger.ModelVersion);
    }

    [Fact]
    public async Task AStoreThatFailsAfterItsFilesAreOpen_LeavesNoneOpen_AndOpensOnceMended()
    {
        using var store = new TempStore();
        await store.Ledger.SubmitAsync(Some.Report("r-broken-later"));
        store.Ledger.Dispose();
        // A stored observation the text index cannot read back: the ledger fails at its last step, its log flusher and
        // checkpointer started, its connection open.
        string observed;
        using (var c = SqliteSchema.Open(store.Options))
        {
            observed = (string)SqliteSchema.Scalar(c, "SELECT observed_json FROM reports")!;
            SqliteSchema.Execute(c, "UPDATE reports SET observed_json = '{\"reportId\": broken'");
        }
        SqliteConnection.ClearAllPools();
        Assert.Empty(OpenFiles(store.Options));

        Assert.ThrowsAny<Newtonsoft.Json.JsonException>(() => new ReportLedger(store.Options, TempStore.NewScorer(), new CampaignOptions()));

        // Connections given back go to the pool; cleared, nothing of the store is open: no leaked connection or log flusher.
        SqliteConnection.ClearAllPools();
        Assert.Empty(OpenFiles(store.Options));
        using (var c = SqliteSchema.Open(store.Options))
        {
            using var mend = c.CreateCommand();
            mend.CommandText = "UPDATE reports SET observed_json = $o";
            mend.Parameters.AddWithValue("$o", observed);
            mend.ExecuteNonQuery();
        }
        store.Reopen(disposeFirst: false);
        Assert.Equal(SubmitStatus.Unchanged, (await store.Ledger.SubmitAsync(Some.Report("r-broken-later"))).Status);
    }

    /// <summary>This process's open files inside the store's folder (Linux: /proc/self/fd).</summary>
    private static List<string> OpenFiles(StorageOptions options)
    {
        var folder = Path.GetFullPath(options.DataDirectory);
        var open = new List<string>();
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith(folder, StringComparison.Ordinal)) open.Add(target);
            }
            catch (IOException) { /* closed meanwhile */ }
            catch (UnauthorizedAccessException) { }
        }
        return open;
    }
}
