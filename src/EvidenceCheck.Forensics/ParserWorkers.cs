using System.Collections.Concurrent;

namespace EvidenceCheck.Forensics;

/// <summary>
/// Dedicated threads that run file parsers under a time limit. A parser caught in a hostile file
/// cannot be stopped from outside in .NET, so it is abandoned: its thread is written off and a
/// replacement started, up to a cap, so one bad file neither stalls its report nor starves the
/// others. Dedicated threads rather than the thread pool: a caller that blocks a pool thread while
/// waiting for another pool thread is how services starve under load.
/// </summary>
internal sealed class ParserWorkers
{
    /// <summary>Threads written off to hung parsers before new ones stop being started; past this, files wait.</summary>
    private readonly int _maxWorkers;
    private readonly BlockingCollection<Job> _queue = new();
    private int _workers;

    public static ParserWorkers Shared { get; } = new(Environment.ProcessorCount, 8 * Environment.ProcessorCount);

    public ParserWorkers(int workers, int maxWorkers)
    {
        _maxWorkers = maxWorkers;
        for (var i = 0; i < workers; i++) StartWorker();
    }

    public enum Outcome { Done, TimedOut, NotStarted }

    /// <summary>
    /// Runs <paramref name="work"/> on a worker and waits at most <paramref name="limit"/> from the
    /// moment it starts (time queued behind other files does not count against it, up to
    /// <paramref name="queueLimit"/>). An exception thrown by the work is returned, not rethrown.
    /// </summary>
    public Outcome Run(Action work, TimeSpan limit, TimeSpan queueLimit, out Exception? error)
    {
        error = null;
        var job = new Job(work);
        _queue.Add(job);
        if (!job.Started.Wait(queueLimit))
        {
            // Not picked up in time: withdraw it so a worker that reaches it later skips it.
            if (job.TryWithdraw()) return Outcome.NotStarted;
            job.Started.Wait();
        }
        if (!job.Done.Wait(limit))
        {
            if (Volatile.Read(ref _workers) < _maxWorkers) StartWorker();
            return Outcome.TimedOut;
        }
        // The events are not disposed: Set may still be returning on the worker, and ManualResetEventSlim
        // waits on a monitor, so without its WaitHandle there is no kernel object to release.
        error = job.Error;
        return Outcome.Done;
    }

    private void StartWorker()
    {
        Interlocked.Increment(ref _workers);
        new Thread(Loop) { IsBackground = true, Name = "EvidenceCheck parser" }.Start();
    }

    private void Loop()
    {
        foreach (var job in _queue.GetConsumingEnumerable())
            job.Run();
    }

    private sealed class Job(Action work)
    {
        private int _state; // 0 queued, 1 running, 2 withdrawn
        public readonly ManualResetEventSlim Started = new();
        public readonly ManualResetEventSlim Done = new();
        public Exception? Error;

        public bool TryWithdraw() => Interlocked.CompareExchange(ref _state, 2, 0) == 0;

        public void Run()
        {
            if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
            Started.Set();
            try { work(); }
            catch (Exception e) { Error = e; }
            finally { Done.Set(); }
        }
    }
}
