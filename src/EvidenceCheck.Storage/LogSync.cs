using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EvidenceCheck.Storage;

/// <summary>
/// Makes committed transactions durable and only then releases their answers, on its own thread, so
/// the writer can go on with the next group while the disk flushes the last one. The writer's
/// connection commits with synchronous = NORMAL (the log is written, not flushed); this thread then
/// flushes the log file (fdatasync) and completes every answer whose transaction was written before the
/// flush began. One flush covers every commit since the previous one. Nothing is acknowledged before
/// it is on disk: an answer that was released survives a crash or power loss, as with synchronous = FULL.
/// SQLite's own checkpoints still flush the log before copying it (and the database after).
/// </summary>
internal sealed class LogSync : IDisposable
{
    private readonly string _logPath;
    private readonly object _gate = new();
    private List<Action<Exception?>> _waiting = [], _spare = [];
    private readonly Thread _thread;
    private bool _stopping;
    private long _flushes, _flushTicks;

    public LogSync(string databasePath)
    {
        _logPath = databasePath + "-wal";
        _thread = new Thread(Loop) { IsBackground = true, Name = "EvidenceCheck log sync" };
        _thread.Start();
    }

    public long Flushes => Interlocked.Read(ref _flushes);

    /// <summary>Time of one flush, on average, in milliseconds.</summary>
    public double MeanFlushMilliseconds
    {
        get
        {
            var n = Interlocked.Read(ref _flushes);
            return n == 0 ? 0 : Interlocked.Read(ref _flushTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency / n;
        }
    }

    /// <summary>
    /// Called by the writer right after a commit: <paramref name="release"/> runs once the log holding that commit is on
    /// disk (with null), or with the error if flushing failed (then nothing is acknowledged).
    /// </summary>
    public void AfterCommit(Action<Exception?> release)
    {
        lock (_gate)
        {
            _waiting.Add(release);
            Monitor.Pulse(_gate);
        }
    }

    private void Loop()
    {
        while (true)
        {
            List<Action<Exception?>> batch;
            lock (_gate)
            {
                while (_waiting.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_waiting.Count == 0) return;
                batch = _waiting;
                _waiting = _spare;
                _spare = batch;
            }
            Exception? failure = null;
            try { Flush(); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { failure = e; }
            foreach (var release in batch) release(failure);
            batch.Clear();
        }
    }

    /// <summary>
    /// Flushes the log file's data to disk: fdatasync on Linux (its contents and size, not its timestamps, whose update
    /// would cost a journal commit per flush; SQLite flushes its own files the same way), fsync elsewhere. Opened each
    /// time: the file may have been truncated or recreated since.
    /// </summary>
    private void Flush()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using (SafeFileHandle handle = File.OpenHandle(_logPath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            if (!OperatingSystem.IsLinux()) RandomAccess.FlushToDisk(handle);
            else if (fdatasync(handle.DangerousGetHandle().ToInt32()) != 0)
                throw new IOException($"The write-ahead log could not be flushed to disk (errno {Marshal.GetLastPInvokeError()}).");
        }
        Interlocked.Add(ref _flushTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
        Interlocked.Increment(ref _flushes);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int fdatasync(int fd);

    /// <summary>Flushes and releases what is waiting, then stops.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread.Join();
    }
}
