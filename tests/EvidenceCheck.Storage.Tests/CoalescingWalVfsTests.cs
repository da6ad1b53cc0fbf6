using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

/// <summary>
/// The writer's log writes, gathered (<see cref="CoalescingWalVfs"/>): fewer writes reach the file, and nothing SQLite or
/// another connection reads, nor what a crash leaves on disk, differs from the log SQLite writes alone.
/// </summary>
public sealed class CoalescingWalVfsTests : IDisposable
{
    private readonly StorageOptions _options = new() { DataDirectory = Path.Combine(Path.GetTempPath(), "ec-vfs-" + Guid.NewGuid().ToString("n")) };
    private readonly List<string> _folders = [];

    public CoalescingWalVfsTests()
    {
        SqliteSchema.Migrate(_options);
        _folders.Add(_options.DataDirectory);
    }

    /// <summary>The writer's connection as the ledger opens it: its log gathered, commits not synced (LogSync does that).</summary>
    private SqliteConnection OpenWriter(int cachePages = 2000)
    {
        var c = SqliteSchema.Open(_options, coalesceLogIo: true);
        SqliteSchema.Execute(c, $"PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0; PRAGMA cache_size = {cachePages};");
        SqliteSchema.Execute(c, "CREATE TABLE IF NOT EXISTS filler (n INTEGER PRIMARY KEY, v INTEGER NOT NULL, blob BLOB NOT NULL);");
        return c;
    }

    private static void InsertRows(SqliteConnection c, int from, int count) => SqliteSchema.Execute(c, $"""
        WITH RECURSIVE k(v) AS (SELECT {from} UNION ALL SELECT v + 1 FROM k WHERE v < {from + count - 1})
        INSERT INTO filler (n, v, blob) SELECT v, v, randomblob(3000) FROM k;
        """);

    private static void InsertRowsInOneTransaction(SqliteConnection c, int from, int count)
    {
        SqliteSchema.Execute(c, "BEGIN IMMEDIATE;");
        InsertRows(c, from, count);
        SqliteSchema.Execute(c, "COMMIT;");
    }

    private static (long Rows, long Sum, string Integrity) Read(StorageOptions options)
    {
        using var c = SqliteSchema.Open(options, readOnly: true);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*), coalesce(sum(v), 0), (SELECT group_concat(integrity_check) FROM pragma_integrity_check) FROM filler";
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1), r.GetString(2));
    }

    /// <summary>The database and its log as they are on disk now, copied elsewhere: what a crash of the process would leave.</summary>
    private StorageOptions CopyAsACrashWouldLeaveIt()
    {
        var copy = new StorageOptions { DataDirectory = _options.DataDirectory + "-copy" };
        _folders.Add(copy.DataDirectory);
        Directory.CreateDirectory(copy.DataDirectory);
        foreach (var suffix in new[] { "", "-wal" })
            File.Copy(_options.DatabasePath + suffix, copy.DatabasePath + suffix);
        return copy;
    }

    [Fact]
    public void Commit_OfHundredsOfPages_ReachesTheFileInAFewWrites_AndOtherConnectionsSeeItAtOnce()
    {
        using (var writer = OpenWriter())
        {
            InsertRowsInOneTransaction(writer, 1, 600);
            // Another connection reads the log through the operating system: the commit must already be in the file.
            Assert.Equal((600L, 600L * 601 / 2, "ok"), Read(_options));
        }
        SqliteConnection.ClearAllPools();

        var calls = CoalescingWalVfs.ClosedFileCalls(_options.DatabasePath + "-wal");
        var (asked, made) = (calls.WritesAsked, calls.WritesMade);
        // ~600 pages: SQLite asks for a header and a page each; gathered, they go out ~31 frames at a time.
        Assert.True(asked > 1_000, $"SQLite asked for {asked} writes");
        Assert.True(made * 10 < asked, $"{made} writes made for {asked} asked");
    }

    [Fact]
    public void EveryCommittedTransaction_IsInTheFileWhenCommitReturns_AsACrashWouldLeaveIt()
    {
        using var writer = OpenWriter();
        for (var t = 0; t < 20; t++)
        {
            InsertRowsInOneTransaction(writer, t * 50 + 1, 50);
        }
        // Still open: nothing was closed or synced, only committed.
        var copy = CopyAsACrashWouldLeaveIt();
        Assert.Equal((1000L, 1000L * 1001 / 2, "ok"), Read(copy));
    }

    [Fact]
    public void TransactionLargerThanTheCache_SpilledAndRewrittenInTheLog_CommitsWhole()
    {
        // 20 pages of cache: SQLite writes pages to the log before the commit, then writes some of them again in place
        // when they change again, and rewrites the checksums at the commit. Each of those writes must land where it belongs.
        using var writer = OpenWriter(cachePages: 20);
        SqliteSchema.Execute(writer, "BEGIN IMMEDIATE;");
        InsertRows(writer, 1, 400);
        SqliteSchema.Execute(writer, "UPDATE filler SET v = v * 2;");
        SqliteSchema.Execute(writer, "UPDATE filler SET v = v + 1 WHERE n % 3 = 0;");
        SqliteSchema.Execute(writer, "COMMIT;");

        var expected = (400L, 2L * 400 * 401 / 2 + 133, "ok");
        Assert.Equal(expected, Read(_options));
        Assert.Equal(expected, Read(CopyAsACrashWouldLeaveIt()));
    }

    [Fact]
    public void PagesSpilledToTheLog_ReadBackInTheSameTransaction_AreTheOnesWritten()
    {
        // With 10 pages of cache, pages written to the log moments ago (still in the buffer) are read back from it.
        using var writer = OpenWriter(cachePages: 10);
        SqliteSchema.Execute(writer, "BEGIN IMMEDIATE;");
        for (var i = 0; i < 40; i++)
        {
            InsertRows(writer, i * 10 + 1, 10);
            using var cmd = writer.CreateCommand();
            cmd.CommandText = "SELECT count(*), sum(v) FROM filler";
            using var r = cmd.ExecuteReader();
            r.Read();
            var n = (i + 1) * 10L;
            Assert.Equal((n, n * (n + 1) / 2), (r.GetInt64(0), r.GetInt64(1)));
        }
        SqliteSchema.Execute(writer, "COMMIT;");
        Assert.Equal((400L, 400L * 401 / 2, "ok"), Read(_options));
    }

    [Fact]
    public void RolledBackTransaction_LeavesNothing_AndTheNextCommitIsWhole()
    {
        using var writer = OpenWriter(cachePages: 20);
        SqliteSchema.Execute(writer, "BEGIN IMMEDIATE;");
        InsertRows(writer, 1, 300);
        SqliteSchema.Execute(writer, "ROLLBACK;");
        InsertRowsInOneTransaction(writer, 1, 10);

        Assert.Equal((10L, 55L, "ok"), Read(CopyAsACrashWouldLeaveIt()));
    }

    [Fact]
    public void LogStartedOver_IsWrittenFromTheStartAgain_AndReadBackWhole()
    {
        using var writer = OpenWriter();
        SqliteSchema.Execute(writer, "BEGIN IMMEDIATE;");
        InsertRows(writer, 1, 200);
        SqliteSchema.Execute(writer, "COMMIT; PRAGMA wal_checkpoint(RESTART);");
        var logBytes = new FileInfo(_options.DatabasePath + "-wal").Length;
        InsertRowsInOneTransaction(writer, 201, 20);

        // The second transaction went to the start of the log (the file kept its size), not after the first.
        Assert.Equal(logBytes, new FileInfo(_options.DatabasePath + "-wal").Length);
        Assert.Equal((220L, 220L * 221 / 2, "ok"), Read(CopyAsACrashWouldLeaveIt()));
    }

    /// <summary>A second connection that checkpoints through the VFS, as the background checkpointer does.</summary>
    private SqliteConnection OpenCheckpointer() => SqliteSchema.Open(_options, coalesceLogIo: true);

    private static void Checkpoint(SqliteConnection c, string mode)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var r = cmd.ExecuteReader();
        r.Read();
        Assert.Equal(0, r.GetInt64(0)); // not busy: every frame was copied
    }

    /// <summary>The database file alone, as it is on disk now (after a checkpoint that emptied the log).</summary>
    private StorageOptions CopyOfTheDatabaseFileAlone()
    {
        var copy = new StorageOptions { DataDirectory = _options.DataDirectory + "-db" };
        _folders.Add(copy.DataDirectory);
        Directory.CreateDirectory(copy.DataDirectory);
        File.Copy(_options.DatabasePath, copy.DatabasePath);
        return copy;
    }

    [Fact]
    public void Checkpoint_OfHundredsOfNeighbouringPages_IsCopiedInAFewWritesAndReads_AndTheDatabaseFileHoldsThem()
    {
        using (var writer = OpenWriter())
        using (var checkpointer = OpenCheckpointer())
        {
            InsertRowsInOneTransaction(writer, 1, 600);
            Checkpoint(checkpointer, "TRUNCATE");
            Assert.Equal(0, new FileInfo(_options.DatabasePath + "-wal").Length);
            Assert.Equal((600L, 600L * 601 / 2, "ok"), Read(CopyOfTheDatabaseFileAlone()));
        }
        SqliteConnection.ClearAllPools();

        // ~600 pages, in page order: a write and a read each if copied one by one.
        var database = CoalescingWalVfs.ClosedFileCalls(_options.DatabasePath);
        Assert.True(database.WritesAsked > 500, $"the checkpoint asked for {database.WritesAsked} writes");
        Assert.True(database.WritesMade * 10 < database.WritesAsked, $"{database.WritesMade} writes made for {database.WritesAsked} asked");
        var log = CoalescingWalVfs.ClosedFileCalls(_options.DatabasePath + "-wal");
        Assert.True(log.ReadsAsked > 500, $"the checkpoint asked for {log.ReadsAsked} reads");
        Assert.True(log.ReadsMade * 10 < log.ReadsAsked, $"{log.ReadsMade} reads made for {log.ReadsAsked} asked");
    }

    [Fact]
    public void Checkpoint_OfPagesLastWrittenInShuffledOrder_ReadsEachFrameAlone_NotAWindowAroundIt()
    {
        using (var writer = OpenWriter())
        using (var checkpointer = OpenCheckpointer())
        {
            InsertRowsInOneTransaction(writer, 1, 300);
            // One row a page: each transaction rewrites one page, in an order that is not the pages' own, so the checkpoint
            // (which copies in page order) asks for their last frames out of the log's order.
            var order = Enumerable.Range(1, 300).ToArray();
            new Random(5).Shuffle(order);
            foreach (var n in order.Take(200)) SqliteSchema.Execute(writer, $"UPDATE filler SET v = v + 1000 WHERE n = {n};");
            Checkpoint(checkpointer, "TRUNCATE");
            Assert.Equal((300L, 300L * 301 / 2 + 200 * 1000, "ok"), Read(CopyOfTheDatabaseFileAlone()));
        }
        SqliteConnection.ClearAllPools();

        var log = CoalescingWalVfs.ClosedFileCalls(_options.DatabasePath + "-wal");
        Assert.True(log.ReadsAsked >= 300, $"the checkpoint asked for {log.ReadsAsked} reads");
        // A window of 31 frames read at each frame asked out of order read ~30 MB here, for ~1.3 MB of pages.
        Assert.True(log.BytesRead < 2 * log.ReadsAsked * (4096 + 24), $"{log.BytesRead:N0} bytes read for {log.ReadsAsked} pages asked");
    }

    [Fact]
    public void Checkpoint_OfALogWrittenOverSinceTheLastOne_CopiesTheNewFrames_NotWhatAnEarlierCheckpointReadAhead()
    {
        using var writer = OpenWriter();
        using var checkpointer = OpenCheckpointer();
        InsertRowsInOneTransaction(writer, 1, 300);
        // The log starts over at the next write; its file keeps the old frames beyond the new ones.
        Checkpoint(checkpointer, "RESTART");
        InsertRowsInOneTransaction(writer, 301, 10);
        // This checkpoint reads ahead from the first new frame, over old frames the next transaction writes over.
        Checkpoint(checkpointer, "PASSIVE");
        SqliteSchema.Execute(writer, "BEGIN IMMEDIATE; UPDATE filler SET v = v + 1000 WHERE n > 300;");
        InsertRows(writer, 311, 90);
        SqliteSchema.Execute(writer, "COMMIT;");
        // Outside a checkpoint, the same connection reads those pages from the log as they are now.
        using (var cmd = checkpointer.CreateCommand())
        {
            cmd.CommandText = "SELECT count(*), sum(v) FROM filler";
            using var r = cmd.ExecuteReader();
            r.Read();
            Assert.Equal((400L, 400L * 401 / 2 + 10 * 1000), (r.GetInt64(0), r.GetInt64(1)));
        }
        Checkpoint(checkpointer, "TRUNCATE");

        Assert.Equal((400L, 400L * 401 / 2 + 10 * 1000, "ok"), Read(CopyOfTheDatabaseFileAlone()));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var folder in _folders)
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }
}
