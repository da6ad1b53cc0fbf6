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
/// it copies what the last background pass has not and syncs the database, and the log file is then reused
/// in place. What it copies is what was committed since that pass began, so close to the limit the passes
/// come ten times as often, and the writer takes the gap after a pass instead of waiting for a running one:
/// 18–40 ms a restart in the single-report phase of the load benchmark, where waiting for the pass and copying
/// a second's worth took 350–550 ms. (Passes back to back, 5 ms apart, from 3/4 of the limit did as well for
/// the restarts but synced the database so often that the log's flushes, which every answer waits for, slowed:
/// p99 ~12 -> ~14 ms.) When the passes cannot keep up (batches, both cores
/// busy), the writer still copies the backlog itself, past the limit. It used to truncate the file instead
/// (650–730 ms each, measured), and colliding with a background pass made most attempts give up at once.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    /// <summary>
    /// The log size beyond which the writer starts it over (<see cref="StorageOptions.LogRestartMegabytes"/>; a log restarted
    /// beyond it is cut back to it): disk use stays bounded whatever the load. Large, because each restart costs the writer
    /// about the same whatever the log's size.
    /// </summary>
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

    /// <param name="restartLogBytes">Instead of the options' <see cref="StorageOptions.LogRestartMegabytes"/> (tests).</param>
    public WalCheckpointer(StorageOptions options, long? restartLogBytes = null)
    {
        RestartLogBytes = restartLogBytes ?? options.LogRestartBytes;
        _interval = TimeSpan.FromMilliseconds(options.CheckpointIntervalMilliseconds);
        _nice = options.CheckpointNice;
        _connection = SqliteSchema.Open(options, coalesceLogIo: options.CoalesceLogIo);
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
        var logBytes = Interlocked.Read(ref _logFrames) * _frameBytes;
        if (logBytes < RestartLogBytes) return;
        // The writer copies what the last pass did not: what was committed since it began. While a pass runs, the writer
        // goes on and takes the gap after it instead of waiting for it (then copying what came in meanwhile as well); past
        // twice the limit it waits, so that the log stays bounded whatever the load.
        if (!Monitor.TryEnter(_checkpointing))
        {
            _restarted.Reset();
            _restartDue = true;
            if (logBytes < 2 * RestartLogBytes) return;
            Monitor.Enter(_checkpointing);
        }
        try
        {
            var (busy, frames) = Checkpoint(writer, "RESTART");
            Interlocked.Exchange(ref _logFrames, busy ? frames : 0);
            if (!busy)
            {
                Interlocked.Exchange(ref _restartedAt, frames);
                _restartDue = false;
                _restarted.Set();
            }
        }
        finally { Monitor.Exit(_checkpointing); }
    }

    /// <summary>Frames in the log when a pass last looked; 0 once the writer has started it over (tests).</summary>
    internal long LogFramesSeen => Interlocked.Read(ref _logFrames);

    /// <summary>Holds the checkpointer's lock as a running pass does, until disposed (tests).</summary>
    internal IDisposable PassRunning()
    {
        Monitor.Enter(_checkpointing);
        return new Release(() => Monitor.Exit(_checkpointing));
    }

    private sealed class Release(Action release) : IDisposable
    {
        public void Dispose() => release();
    }

    /// <summary>Set by the writer when the log is due to start over while a pass runs: the gap after that pass is the writer's.</summary>
    private volatile bool _restartDue;
    private readonly ManualResetEventSlim _restarted = new(false);

    /// <summary>How long the checkpointer leaves the gap after a pass to a writer that asked for it, at most.</summary>
    private static readonly TimeSpan RestartWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// From this share of <see cref="RestartLogBytes"/> on, passes come every <see cref="ShortPause"/> instead of every
    /// interval, so that at the limit what the writer copies itself (what came in since the last pass began) is little.
    /// </summary>
    private const double CloseToRestart = 0.9;

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
            if (_restartDue)
            {
                // The writer asked for this gap: it starts the log over at its next group, copying only what came in
                // during the pass just finished.
                WaitHandle.WaitAny([_restarted.WaitHandle, _stopped.WaitHandle], RestartWindow);
                _restarted.Reset();
            }
            else _stopped.Wait(Interlocked.Read(ref _logFrames) * _frameBytes >= CloseToRestart * RestartLogBytes ? ShortPause : _interval);
        }
    }

    /// <summary>
    /// Between passes close to the limit: a tenth of a second's log left for the writer to copy, and few enough database
    /// syncs that the log's flushes do not queue behind them.
    /// </summary>
    private static readonly TimeSpan ShortPause = TimeSpan.FromMilliseconds(100);

    public void Dispose()
    {
        _stopped.Set();
        _committed.Set();
        _thread.Join();
        _connection.Dispose();
        _committed.Dispose();
        _stopped.Dispose();
        _restarted.Dispose();
    }
}
