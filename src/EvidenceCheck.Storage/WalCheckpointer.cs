using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage;

/// <summary>
/// Copies the write-ahead log back into the database on its own thread and connection, so the
/// writer's commits are only a log append and an fsync. SQLite's own automatic checkpoint would run
/// inside a commit, and with it the random writes of every page touched since the last one.
/// Passive checkpoints never block the writer, but they never start the log over either: SQLite
/// rewinds the log only when a write transaction begins with every frame already copied, and the
/// writer begins its next group right after each commit. So under steady load the log grows until
/// the writer starts it over itself (<see cref="RestartLogIfLarge"/>), beyond <see cref="RestartLogBytes"/>:
/// it waits for the background pass, copies what was committed since and syncs the database (150–500 ms
/// here at ~100 MB of log per second, about every 5 s), and the log file is then reused in place. It used
/// to truncate the file instead (650–730 ms each, measured), and colliding with a background pass made
/// most attempts give up at once.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>
    /// Beyond this, the writer starts the log over (and a log restarted beyond it is cut back to it): disk use stays
    /// bounded whatever the load. Large, because each restart costs the writer about the same whatever the log's size.
    /// </summary>
    public const long DefaultRestartLogBytes = 512L * 1024 * 1024;

    /// <summary>The log size beyond which the writer starts it over.</summary>
    public long RestartLogBytes { get; }

    private readonly SqliteConnection _connection;
    private readonly string _logPath;
    private readonly AutoResetEvent _committed = new(false);
    // Set by Dispose: the loop ends, and the pause between passes (up to a second by default) does not hold up shutting down.
    private readonly ManualResetEventSlim _stopped = new(false);
    private readonly Thread _thread;
    // One checkpoint at a time: SQLite refuses a second one at once (busy) instead of waiting for the first.
    private readonly object _checkpointing = new();
    // Frames in the log when the last checkpoint looked (the file itself keeps its size when the log starts over).
    private long _logFrames;
    // The frames of a log the writer started over, until its next commit rewinds it: a pass in between still sees them.
    private long _restartedAt = -1;
    private readonly long _frameBytes;

    /// <summary>
    /// At most one checkpoint per interval (<see cref="StorageOptions.CheckpointIntervalMilliseconds"/>): pages written
    /// again and again (table tails, counters of busy subjects) are then copied once per checkpoint, not once per commit.
    /// </summary>
    private readonly TimeSpan _interval;

    public WalCheckpointer(StorageOptions options, long restartLogBytes = DefaultRestartLogBytes)
    {
        RestartLogBytes = restartLogBytes;
        _interval = TimeSpan.FromMilliseconds(options.CheckpointIntervalMilliseconds);
        _nice = options.CheckpointNice;
        _connection = SqliteSchema.Open(options);
        // Checkpoints stream pages from the log to the database: they need no page cache of their own.
        SqliteSchema.Execute(_connection, "PRAGMA cache_size = -2048;");
        _frameBytes = Convert.ToInt64(SqliteSchema.Scalar(_connection, "PRAGMA page_size;")) + 24;
        _logPath = options.DatabasePath + "-wal";
        _thread = new Thread(Loop) { IsBackground = true, Name = "EvidenceCheck checkpoint" };
        _thread.Start();
    }

    /// <summary>Called by the writer after each commit.</summary>
    public void Committed() => _committed.Set();

    /// <summary>
    /// Called by the writer between transactions: beyond <see cref="RestartLogBytes"/> it copies what the background
    /// passes have not (waiting for the one running, if any) and starts the log over. A reader still using the log
    /// past the busy timeout leaves it as it is; the next call tries again.
    /// </summary>
    public void RestartLogIfLarge(SqliteConnection writer)
    {
        if (Interlocked.Read(ref _logFrames) * _frameBytes < RestartLogBytes) return;
        lock (_checkpointing)
        {
            var (busy, frames) = Checkpoint(writer, "RESTART");
            Interlocked.Exchange(ref _logFrames, busy ? frames : 0);
            if (!busy) Interlocked.Exchange(ref _restartedAt, frames);
        }
    }

    /// <returns>Whether it could not finish (busy), and the frames in the log.</returns>
    private static (bool Busy, long LogFrames) Checkpoint(SqliteConnection connection, string mode)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"PRAGMA wal_checkpoint({mode});";
        using var r = cmd.ExecuteReader();
        return r.Read() ? (r.GetInt64(0) != 0, r.GetInt64(1)) : (true, 0);
    }

    /// <summary>The checkpoint thread's kernel id once it runs (Linux; tests read its priority from /proc).</summary>
    internal int ThreadId => Volatile.Read(ref _threadId);
    private int _threadId;
    private readonly int _nice;

    private void Loop()
    {
        Volatile.Write(ref _threadId, ThreadScheduling.CurrentThreadId());
        // Refused only for a negative value without CAP_SYS_NICE; the checkpoints then run at the default.
        if (_nice != 0) ThreadScheduling.TrySetNice(_nice);
        while (!_stopped.IsSet)
        {
            _committed.WaitOne(TimeSpan.FromSeconds(1));
            if (_stopped.IsSet) break;
            try
            {
                lock (_checkpointing)
                {
                    if (File.Exists(_logPath) && new FileInfo(_logPath).Length > 0
                        && Checkpoint(_connection, "PASSIVE").LogFrames is var frames && frames != Interlocked.Read(ref _restartedAt))
                    {
                        Interlocked.Exchange(ref _restartedAt, -1);
                        Interlocked.Exchange(ref _logFrames, frames);
                    }
                }
            }
            catch (Exception e) when (e is SqliteException or IOException)
            {
                // Busy or I/O trouble: the next commit tries again.
            }
            _stopped.Wait(_interval);
        }
    }

    public void Dispose()
    {
        _stopped.Set();
        _committed.Set();
        _thread.Join();
        _connection.Dispose();
        _committed.Dispose();
        _stopped.Dispose();
    }
}
