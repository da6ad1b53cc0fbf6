using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage;

/// <summary>
/// Copies the write-ahead log back into the database on its own thread and connection, so the
/// writer's commits are only a log append and an fsync. SQLite's own automatic checkpoint would run
/// inside a commit, and with it the random writes of every page touched since the last one.
/// Passive checkpoints never block the writer. If the log still outgrows <see cref="MaxLogBytes"/>
/// (the checkpoints cannot keep up), the writer truncates it itself between two transactions.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>Beyond this, the writer stops and truncates the log: disk use stays bounded whatever the load.</summary>
    public const long MaxLogBytes = 512L * 1024 * 1024;

    private readonly SqliteConnection _connection;
    private readonly string _logPath;
    private readonly AutoResetEvent _committed = new(false);
    private readonly Thread _thread;
    private volatile bool _stopping;

    /// <summary>
    /// At most one checkpoint per interval: pages written again and again (table tails, counters of busy subjects)
    /// are then copied once per checkpoint, not once per commit.
    /// </summary>
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    public WalCheckpointer(StorageOptions options)
    {
        _connection = SqliteSchema.Open(options);
        // Checkpoints stream pages from the log to the database: they need no page cache of their own.
        SqliteSchema.Execute(_connection, "PRAGMA cache_size = -2048;");
        _logPath = options.DatabasePath + "-wal";
        _thread = new Thread(Loop) { IsBackground = true, Name = "EvidenceCheck checkpoint" };
        _thread.Start();
    }

    /// <summary>Called by the writer after each commit.</summary>
    public void Committed() => _committed.Set();

    /// <summary>Called by the writer between transactions: truncates the log when it grew too big.</summary>
    public static void TruncateIfLarge(SqliteConnection writer, string databasePath)
    {
        var log = new FileInfo(databasePath + "-wal");
        if (!log.Exists || log.Length < MaxLogBytes) return;
        SqliteSchema.Execute(writer, "PRAGMA wal_checkpoint(TRUNCATE);");
    }

    private void Loop()
    {
        while (!_stopping)
        {
            _committed.WaitOne(TimeSpan.FromSeconds(1));
            if (_stopping) break;
            try
            {
                if (File.Exists(_logPath) && new FileInfo(_logPath).Length > 0) SqliteSchema.Execute(_connection, "PRAGMA wal_checkpoint(PASSIVE);");
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                // Busy or I/O trouble: the next commit tries again, and the writer truncates if the log keeps growing.
            }
            Thread.Sleep(Interval);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _committed.Set();
        _thread.Join();
        _connection.Dispose();
        _committed.Dispose();
    }
}
