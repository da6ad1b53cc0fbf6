namespace EvidenceCheck.Storage;

/// <summary>Where and how reports are kept. Bound from the "Storage" section of configuration, validated at start.</summary>
public sealed class StorageOptions
{
    /// <summary>Folder of the SQLite file (created if missing). Default <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";
    /// <summary>The SQLite file inside <see cref="DataDirectory"/>. Default <c>evidencecheck.db</c>.</summary>
    public string FileName { get; set; } = "evidencecheck.db";
    /// <summary>
    /// Keep evidence files (contentBase64) in the stored report. Default false: only the facts read
    /// from them are kept — files can hold personal data nobody asked the platform to keep.
    /// </summary>
    public bool StoreEvidenceFiles { get; set; }
    /// <summary>At most this many reports share one transaction (group commit). Default 1,000.</summary>
    public int MaxGroupCommit { get; set; } = 1_000;
    /// <summary>
    /// Reports in the writer's hands at once (read and prepared, queued or in the group being written) before submitters
    /// wait their turn, first come first served, without reading theirs yet. Default 1,000, as many as one full group commit
    /// (<see cref="MaxGroupCommit"/>'s default); in the service benchmark 600 was slower and 2,000 no faster. See
    /// <see cref="ReportBudget"/>.
    /// </summary>
    public int QueueCapacity { get; set; } = 1_000;
    /// <summary>
    /// SQLite page cache of each reading connection (reviewer reads, the audit log, the checkpointer), in MiB. Default 8:
    /// connections are pooled and each keeps its cache, and the operating system caches the file as well.
    /// </summary>
    public int CacheMegabytes { get; set; } = 8;
    /// <summary>
    /// SQLite page cache of the one writer connection, in MiB. Default 32. The writer reads the campaign counters of each
    /// report's subject, network ranges and cohorts; most of its page reads in the batch phase are of pages it wrote itself
    /// seconds before and evicted to make room for the report and score rows it appends (strace: 2 of 3 from the
    /// write-ahead log). 64 measured batch 1.16 / 1.23 / 0.95 / 1.05 / 1.04 times 32's in five alternating pairs at 100k
    /// stored reports, within this machine's noise, for 26–44 MB more peak resident memory; the default stays at 32 to keep
    /// the service's headroom under 500 MB at a million reports. Raise it where memory allows.
    /// </summary>
    public int WriterCacheMegabytes { get; set; } = 32;
    /// <summary>
    /// At most one background checkpoint (log copied back into the database, then the database synced) per this many
    /// milliseconds. Default 1,000: a page written by every commit (table tails, counters of busy subjects) is copied
    /// once a second instead of ten times, and the database's sync competes less with the log's.
    /// </summary>
    public int CheckpointIntervalMilliseconds { get; set; } = 1_000;
    /// <summary>
    /// Scheduling priority (Linux nice value, -20..19) of the one writer thread, which every answer waits for: below 0 it
    /// runs before the request threads when the cores are busy, so the queue drains instead of filling. Lowering a nice
    /// value needs root or CAP_SYS_NICE; without it the writer runs at the default and the start-up log says so. 0 leaves
    /// it alone. Default -10.
    /// </summary>
    public int WriterNice { get; set; } = -10;
    /// <summary>
    /// Nice value of the background checkpoint thread, which copies the log back into the database: nobody waits for it,
    /// so above 0 it yields the cores to the writer and the request threads and catches up when they are idle (the log is
    /// started over once it is large whatever it does). 0 leaves it alone. Default 5.
    /// </summary>
    public int CheckpointNice { get; set; } = 5;

    /// <summary>
    /// The writer's appends to the write-ahead log go out as one write per transaction instead of two per page, and a
    /// checkpoint's copies as one write per run of neighbouring pages, reading the log ahead along such runs
    /// (<see cref="CoalescingWalVfs"/>): the same bytes in the same files, with a few system calls where there were
    /// thousands. Default true; false leaves the files to SQLite alone (for comparison).
    /// </summary>
    public bool CoalesceLogIo { get; set; } = true;

    /// <summary>
    /// Beyond this many MiB of write-ahead log the writer starts the log over, copying what the background checkpoints
    /// have not yet and syncing the database first; the log file is then kept at this size and reused. Default 2,048. Each
    /// restart stalls every answer about as long whatever the size (with batches on two busy cores ~0.5–0.6 s: the backlog
    /// the checkpoints have not copied, then the database's sync), so a larger log restarts less often for more disk: at
    /// ~136 MB of log a second, once every ~15 s instead of every ~4 s with 512. After a crash, opening the store reads the
    /// whole log once.
    /// </summary>
    public int LogRestartMegabytes { get; set; } = 2_048;

    internal long LogRestartBytes => LogRestartMegabytes * 1024L * 1024;

    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDirectory, FileName));

    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) yield return "DataDirectory is required.";
        if (string.IsNullOrWhiteSpace(FileName)) yield return "FileName is required.";
        if (MaxGroupCommit < 1) yield return "MaxGroupCommit must be at least 1.";
        if (QueueCapacity < 1) yield return "QueueCapacity must be at least 1.";
        if (CacheMegabytes is < 1 or > 4096) yield return "CacheMegabytes must be between 1 and 4096.";
        if (WriterCacheMegabytes is < 1 or > 4096) yield return "WriterCacheMegabytes must be between 1 and 4096.";
        if (CheckpointIntervalMilliseconds is < 10 or > 60_000) yield return "CheckpointIntervalMilliseconds must be between 10 and 60,000.";
        if (LogRestartMegabytes is < 16 or > 65_536) yield return "LogRestartMegabytes must be between 16 and 65,536.";
        if (WriterNice is < -20 or > 19) yield return "WriterNice must be between -20 and 19.";
        if (CheckpointNice is < -20 or > 19) yield return "CheckpointNice must be between -20 and 19.";
    }

    public StorageOptions Validated()
    {
        var problems = Problems().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid storage options: " + string.Join(" ", problems));
        return this;
    }
}
