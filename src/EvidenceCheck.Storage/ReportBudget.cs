namespace EvidenceCheck.Storage;

/// <summary>
/// How many reports may be in the writer's hands at once: read and prepared, waiting in its queue or in the group it is
/// writing. Beyond that, submitters wait their turn, first come first served, before reading their reports.
/// </summary>
/// <remarks>
/// Each such report is a few KB of objects that every garbage collection in between copies, and a report waiting behind
/// thousands of others lives through several: with a queue deep enough to hold every request's reports at once, a busy
/// service's gen1 collections took ~26 ms each (~22 ms with this budget), and what it held grew with what its clients
/// sent. What waits for the log's flush after its group's commit holds only its answer and no longer counts.
/// </remarks>
internal sealed class ReportBudget(int capacity)
{
    private sealed class Waiter(ReportBudget budget, int count) : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public ReportBudget Budget { get; } = budget;
        public int Count { get; } = count;
        public LinkedListNode<Waiter>? Node { get; set; }
        public CancellationTokenRegistration Cancellation { get; set; }
    }

    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private int _inUse;

    /// <summary>Reports counted now (tests).</summary>
    internal int InUse
    {
        get { lock (_lock) return _inUse; }
    }

    /// <summary>
    /// Completes once <paramref name="count"/> reports fit; give them back with <see cref="Leave"/>. More than the whole
    /// budget goes in alone, when nothing else is counted.
    /// </summary>
    public Task EnterAsync(int count, CancellationToken cancel)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        cancel.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(count))
            {
                _inUse += count;
                return Task.CompletedTask;
            }
            var waiter = new Waiter(this, count);
            waiter.Node = _waiters.AddLast(waiter);
            if (cancel.CanBeCanceled)
                waiter.Cancellation = cancel.UnsafeRegister(static (state, token) => ((Waiter)state!).Budget.Cancel((Waiter)state!, token), waiter);
            return waiter.Task;
        }
    }

    /// <summary>Gives back <paramref name="count"/> reports entered earlier, and lets in those waiting that now fit.</summary>
    public void Leave(int count)
    {
        if (count == 0) return;
        lock (_lock)
        {
            _inUse -= count;
            if (_inUse < 0) throw new InvalidOperationException($"More reports left the budget than entered it ({-_inUse:N0}).");
            LetIn();
        }
    }

    private bool Fits(int count) => _inUse == 0 || _inUse + count <= capacity;

    /// <summary>Lets in the waiters at the head of the line that fit now, in order. Under the lock.</summary>
    private void LetIn()
    {
        while (_waiters.First is { } first && Fits(first.Value.Count))
        {
            _waiters.RemoveFirst();
            _inUse += first.Value.Count;
            // Not Dispose: that waits for a running callback, which waits for this lock.
            first.Value.Cancellation.Unregister();
            first.Value.TrySetResult();
        }
    }

    private void Cancel(Waiter waiter, CancellationToken token)
    {
        lock (_lock)
        {
            // Already let in: the caller has its reports counted and gives them back as usual.
            if (waiter.Node?.List is null) return;
            _waiters.Remove(waiter.Node);
            waiter.TrySetCanceled(token);
            // Those behind it may fit now.
            LetIn();
        }
    }
}
