using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;

namespace EvidenceCheck.Storage;

public enum SubmitStatus
{
    /// <summary>New report, stored and scored.</summary>
    Scored,
    /// <summary>Same report id and content as before: the stored score is returned, nothing written.</summary>
    Unchanged,
    /// <summary>Same report id and content, but the model changed since: scored again (a new score row).</summary>
    Rescored,
    /// <summary>The report id is already stored with different content: refused, the stored report stands.</summary>
    Conflict,
}

/// <param name="Commits">Transactions committed since start.</param>
/// <param name="ReportsPerCommit">Reports written per transaction, on average (group commit at work).</param>
/// <param name="MeanCommitMilliseconds">Time of one commit (the log append), on average.</param>
/// <param name="Flushes">Flushes of the log to disk (fdatasync); one covers every commit written before it began.</param>
/// <param name="MeanFlushMilliseconds">Time of one flush, on average.</param>
/// <param name="Stages">Where the writer's own time went since start, by stage (totals, so that a phase is the difference of two readings).</param>
public sealed record WriterStats(long Commits, double ReportsPerCommit, double MeanCommitMilliseconds, long Flushes, double MeanFlushMilliseconds, WriterStages Stages);

/// <summary>
/// The writer's time since start, in milliseconds of its thread's wall time (time it waited for a core included: it is the
/// one serial thread every answer waits for), by stage; each moment is counted once. Re-scores include the first scores
/// they had to write first.
/// </summary>
/// <param name="Lookup">Finding whether the report id is stored already.</param>
/// <param name="Campaign">Recording the report's campaign facts: the counters, sightings and links it reads and writes, the text index.</param>
/// <param name="Rows">Writing the report's row and its evidence facts.</param>
/// <param name="FirstScoreWait">Waiting for first scores the thread pool had not finished, or computing them itself.</param>
/// <param name="Scores">Writing scores: a report's score columns and its history row.</param>
/// <param name="Rescores">Scoring stored reports again: earlier members of a campaign, and resubmissions scored by an older model (their lookup included).</param>
/// <param name="Commit">Committing: the transaction appended to the write-ahead log.</param>
public sealed record WriterStages(double Lookup, double Campaign, double Rows, double FirstScoreWait, double Scores, double Rescores, double Commit);

/// <summary>What a submission came to: its status, and the score to answer with as the contract's JSON.</summary>
/// <remarks>
/// Only the JSON is kept: an answer waits for the log flush, and a batch's answers for the whole batch, so whatever an
/// outcome holds lives long enough to be copied by two collections and promoted; a score's object graph (its reasons
/// and their texts) was most of that. <see cref="Score"/> reads it back for the callers that want the object.
/// </remarks>
public sealed class SubmitOutcome(SubmitStatus status, byte[]? scoreJson)
{
    private ScoreResult? _score;

    public SubmitStatus Status { get; } = status;

    /// <summary>The score as the contract's JSON, UTF-8 (<see cref="Core.Contract.ScoreJson"/>): what is stored, and what the service answers. Null for a conflict.</summary>
    public byte[]? ScoreJson { get; } = scoreJson;

    /// <summary>The score to answer with (the stored one for <see cref="SubmitStatus.Unchanged"/>), read from <see cref="ScoreJson"/>; null for a conflict.</summary>
    public ScoreResult? Score => _score ??= ScoreJson is { } json ? StoredJson.Deserialize<ScoreResult>(Encoding.UTF8.GetString(json)) : null;

    public static SubmitOutcome Of(SubmitStatus status, (ScoreResult Result, byte[] Json) score) => new(status, score.Json);
    public static readonly SubmitOutcome Conflict = new(SubmitStatus.Conflict, null);
}

/// <summary>
/// The only writer of the store. Reports are recorded and written one after another on one thread, in
/// arrival order, so every report is scored with everything received before it (the same answers a
/// file gives the command line). Group commit: the reports waiting when a transaction starts share
/// it, and nobody's answer is released before that transaction is durably committed: the commit writes
/// the log, <see cref="LogSync"/> flushes it (fdatasync) while the writer goes on with the next group.
/// Each request's reports run in their own savepoint: one that fails leaves nothing half-written and
/// does not fail the others. A new report's campaign is recorded and its row written in order on the
/// writer; its first score, which needs only what was known when it was recorded, is computed on the
/// thread pool meanwhile and written before the commit (<see cref="FirstScore"/>).
/// </summary>
public sealed class ReportLedger : IDisposable
{
    private sealed record Pending(IReadOnlyList<Prepared> Reports, TaskCompletionSource<SubmitOutcome[]> Done);

    /// <summary>
    /// A report made ready off the writer's thread: serialized, hashed, evidence read, campaign facts extracted, and the
    /// JSON columns encoded as UTF-8 (request-thread work, not the writer's).
    /// </summary>
    private sealed record Prepared(Report Report, string Hash, byte[] Json, IReadOnlyList<EvidenceFacts> Facts, byte[][] FactsJson, ObservedReport Observed, byte[] ObservedJson);

    /// <summary>
    /// A new report of the current group whose first score is still to be written. Its campaign context was taken when
    /// it was recorded, so scoring it later, off the writer's thread, gives the same score as scoring it there and then.
    /// </summary>
    private sealed class FirstScore(Prepared prepared, long seq, string? campaignId, Func<(ScoreResult Result, byte[] Json)> score)
    {
        public Prepared Prepared { get; } = prepared;
        public long Seq { get; } = seq;
        /// <summary>The campaign the report joined when it was recorded: its row's campaign_id when the row is written.</summary>
        public string? CampaignId { get; } = campaignId;
        /// <summary>
        /// The slice whose savepoint wrote the report's row; -1 while the row waits to be written with its first score, in one
        /// insert (the group's own reports are read back from the row only when a campaign joins them).
        /// </summary>
        public int RowWrittenInSlice { get; set; } = -1;
        public bool RowPending => RowWrittenInSlice < 0;
        /// <summary>The score and its JSON; whichever thread asks first computes it, the other waits for it.</summary>
        public Lazy<(ScoreResult Result, byte[] Json)> Work { get; } = new(score, LazyThreadSafetyMode.ExecutionAndPublication);
        /// <summary>The slice whose savepoint wrote it; -1 while not written.</summary>
        public int WrittenInSlice { get; set; } = -1;
    }

    /// <summary>A submission whose answer is a first score not computed yet: filled in before the commit.</summary>
    private readonly record struct Answer(int Slice, int Index, FirstScore Score, SubmitStatus Status);

    private readonly StorageOptions _options;
    private readonly ReportScorer _scorer;
    private readonly Channel<Pending> _queue;
    private readonly ReportBudget _budget;
    private readonly SqliteConnection _connection;
    private readonly SqliteCampaignStore _campaignStore;
    private readonly CampaignEngine _engine;
    private readonly CampaignOptions _campaignOptions;

    // The current group's first scores, in order and by report id, the answers waiting for them, and the slice being written.
    private readonly List<FirstScore> _firstScores = [];
    private readonly Dictionary<string, FirstScore> _unscored = new(StringComparer.Ordinal);
    private readonly List<Answer> _answers = [];
    private int _slice;
    // How many of the group's new rows are still to be written, and the number the next new report's row gets (read at the
    // start of each group: the rowid SQLite itself would give, the last one plus one).
    private int _rowsPending;
    private long _nextSeq;

    private readonly Statement _find, _insert, _insertScored, _lastSeq, _insertFacts, _loadStored, _loadFacts, _updateScore, _insertScore, _begin, _commit, _rollback, _savepoint, _release, _rollbackTo;
    private readonly List<Statement> _statements = [];
    private readonly Thread _writer;
    private readonly WalCheckpointer _checkpointer;
    private readonly LogSync _sync;
    private readonly WriterLock _writerLock;
    private readonly Action<string> _log;
    private long _written, _commits, _commitTicks;
    // The writer's time by stage (WriterStages, in its order but for the commit, which is _commitTicks).
    private readonly long[] _stageTicks = new long[6];
    private const int LookupStage = 0, CampaignStage = 1, RowsStage = 2, FirstScoreWaitStage = 3, ScoresStage = 4, RescoresStage = 5;

    /// <summary>Adds the time since <paramref name="from"/> to a stage; returns now, where the next stage starts.</summary>
    private long Timed(int stage, long from)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Interlocked.Add(ref _stageTicks[stage], now - from);
        return now;
    }

    private static double Milliseconds(long ticks) => Math.Round(ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency, 3);

    /// <param name="log">Where start-up work that can take a while is announced (a campaign rebuild, the text index refill).</param>
    public ReportLedger(StorageOptions options, ReportScorer scorer, CampaignOptions campaignOptions, Action<string>? log = null)
    {
        _log = log ?? (_ => { });
        _options = options.Validated();
        _writerLock = WriterLock.Acquire(_options);
        try
        {
            _scorer = scorer;
            SqliteSchema.Migrate(options);
            _connection = SqliteSchema.Open(options, coalesceLogIo: _options.CoalesceLogIo, cacheMegabytes: _options.WriterCacheMegabytes);
            // Checkpoints run on their own thread; the writer starts the log over when it grows large, and reuses the file.
            SqliteSchema.Execute(_connection, $"PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = {_options.LogRestartBytes};");
            // Commits write the log; LogSync flushes it on its own thread and only then releases the answers.
            SqliteSchema.Execute(_connection, "PRAGMA synchronous = NORMAL;");
            _sync = new LogSync(_options.DatabasePath);
            _checkpointer = new WalCheckpointer(_options);
            _campaignStore = new SqliteCampaignStore(_connection, OpenFilterReader, _log);
            _campaignOptions = campaignOptions.Validated();
            _engine = new CampaignEngine(_campaignStore, scorer.Options, _campaignOptions);
            _campaignStore.BeforeReportsRead = EnsureRows;
            // Unbounded itself: what it holds is bounded by the budget of reports in the writer's hands.
            _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
            _budget = new ReportBudget(_options.QueueCapacity);

            Statement Prepare(string sql)
            {
                var statement = new Statement(_connection, sql);
                _statements.Add(statement);
                return statement;
            }
            _find = Prepare("""
                SELECT r.seq, r.content_hash, r.model_version, (SELECT s.result_json FROM scores s WHERE s.report_seq = r.seq ORDER BY s.id DESC LIMIT 1)
                FROM reports r WHERE r.report_id = ?1
                """);
            // A new report's row is written with its first score, before the commit; or before it, without, when a campaign
            // reads the group's own reports back (its score then follows in an update).
            _insert = Prepare("""
                INSERT INTO reports (seq, report_id, content_hash, received_at, category, subject, reporter_id, report_json, observed_json, campaign_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                """);
            _insertScored = Prepare("""
                INSERT INTO reports (seq, report_id, content_hash, received_at, category, subject, reporter_id, report_json, observed_json, campaign_id,
                    score, level, flagged, model_version, scored_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                """);
            _lastSeq = Prepare("SELECT coalesce(max(seq), 0) FROM reports");
            _insertFacts = Prepare("INSERT INTO evidence_facts (report_seq, idx, sha256, facts_json) VALUES (?1, ?2, ?3, ?4)");
            _loadStored = Prepare("SELECT seq, report_json, observed_json FROM reports WHERE report_id = ?1");
            _loadFacts = Prepare("SELECT facts_json FROM evidence_facts WHERE report_seq = ?1 ORDER BY idx");
            _updateScore = Prepare("UPDATE reports SET score = ?2, level = ?3, flagged = ?4, model_version = ?5, scored_at = ?6 WHERE seq = ?1");
            _insertScore = Prepare("""
                INSERT INTO scores (report_seq, scored_at, score, level, flagged, model_version, campaign_id, cause, result_json)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """);
            _begin = Prepare("BEGIN IMMEDIATE");
            _commit = Prepare("COMMIT");
            _rollback = Prepare("ROLLBACK");
            _savepoint = Prepare("SAVEPOINT report");
            _release = Prepare("RELEASE report");
            _rollbackTo = Prepare("ROLLBACK TO report");

            // A rebuild records every report again, so the text index already holds the most recent texts.
            if (!RebuildCampaignsIfAsked()) RefillTextIndex();
            _writer = new Thread(WriteLoop) { IsBackground = true, Name = "EvidenceCheck report writer" };
            _writer.Start();
        }
        catch
        {
            // A store that did not open (a newer schema, a broken file) leaves nothing running, no file open, and its lock
            // free for the next try. Whatever was made before the failure is let go, in the reverse order of Dispose.
            _campaignStore?.Dispose();
            foreach (var statement in _statements) statement.Dispose();
            _checkpointer?.Dispose();
            _sync?.Dispose();
            _connection?.Dispose();
            _writerLock.Dispose();
            throw;
        }
    }

    public string ModelVersion => _scorer.ModelVersion;

    /// <summary>The writer connection's cache_size, read on the caller's thread: only while nothing is submitted (tests).</summary>
    internal long WriterCacheSize() => (long)SqliteSchema.Scalar(_connection, "PRAGMA cache_size")!;

    /// <summary>Called on the writer's thread as each report of a request is written (tests make one fail there).</summary>
    internal Action<string>? WritingReport { get; set; }

    /// <summary>Whether the campaign key filter has been filled and is in use (tests wait for it).</summary>
    internal bool KeyFilterInUse => _campaignStore.KeyFilterInUse;

    /// <summary>Reports written since start (new ones and re-scores of stored ones are not distinguished).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Group commit so far: transactions committed, the time spent writing them, and the flushes that made them durable.</summary>
    public WriterStats Stats
    {
        get
        {
            var commits = Interlocked.Read(ref _commits);
            var commitTicks = Interlocked.Read(ref _commitTicks);
            long Stage(int i) => Interlocked.Read(ref _stageTicks[i]);
            var stages = new WriterStages(Milliseconds(Stage(LookupStage)), Milliseconds(Stage(CampaignStage)), Milliseconds(Stage(RowsStage)),
                Milliseconds(Stage(FirstScoreWaitStage)), Milliseconds(Stage(ScoresStage)), Milliseconds(Stage(RescoresStage)), Milliseconds(commitTicks));
            return new WriterStats(commits, commits == 0 ? 0 : Math.Round((double)Written / commits, 1),
                commits == 0 ? 0 : Math.Round(commitTicks * 1000.0 / System.Diagnostics.Stopwatch.Frequency / commits, 2),
                _sync.Flushes, Math.Round(_sync.MeanFlushMilliseconds, 2), stages);
        }
    }

    /// <summary>Stores and scores one validated report; completes once it is durable.</summary>
    /// <remarks>Not async itself: an async method would keep <paramref name="report"/> until the flush.</remarks>
    public Task<SubmitOutcome> SubmitAsync(Report report, CancellationToken cancel = default) => FirstOf(SubmitManyAsync([report], cancel));

    private static async Task<SubmitOutcome> FirstOf(Task<SubmitOutcome[]> outcomes) => (await outcomes)[0];

    /// <summary>
    /// Stores and scores validated reports, in order; completes once all are durable. The outcomes are in the
    /// same order. Reports are handed to the writer in slices as they are prepared, so it starts on a big batch
    /// while the rest is still being read; each slice is written whole or not at all.
    /// </summary>
    /// <remarks>Not async itself: an async method would keep <paramref name="reports"/> until the flush.</remarks>
    public Task<SubmitOutcome[]> SubmitManyAsync(IReadOnlyList<Report> reports, CancellationToken cancel = default) =>
        QueueManyAsync(reports, cancel).Unwrap();

    /// <summary>
    /// Hands validated reports to the writer, in order and in slices, each as the writer's budget of reports in hand
    /// (<see cref="StorageOptions.QueueCapacity"/>) has room for it: <paramref name="reports"/> is read a slice at a time,
    /// only then, so a caller can make them as it goes (a batch's reports are parsed from its body slice by slice) and
    /// what waits for room is its input, not reports made of it. Completes once all are queued, with the task of their
    /// outcomes, in the same order, which completes once all are durable; each slice is written whole or not at all.
    /// </summary>
    /// <remarks>
    /// Only waiting for room can be cancelled: once queued, the reports will be stored whatever the caller does.
    /// Nothing here holds the reports while their answers wait for the flush.
    /// </remarks>
    public async Task<Task<SubmitOutcome[]>> QueueManyAsync(IEnumerable<Report> reports, CancellationToken cancel = default)
    {
        var slices = new List<Task<SubmitOutcome[]>>();
        var left = reports is IReadOnlyCollection<Report> known ? known.Count : int.MaxValue;
        using (var source = reports.GetEnumerator())
        {
            while (left > 0)
            {
                var room = Math.Min(SliceSize, left);
                await _budget.EnterAsync(room, cancel);
                // What this slice holds of the budget until the writer has it: given back if reading or preparing fails.
                var held = room;
                var prepared = new List<Prepared>(room);
                try
                {
                    // The work that needs no store runs here, on the callers' threads, so the single writer only writes.
                    while (prepared.Count < room && source.MoveNext()) prepared.Add(Prepare(source.Current));
                    left = prepared.Count < room ? 0 : left - room;
                    _budget.Leave(room - prepared.Count);
                    held = prepared.Count;
                    if (prepared.Count == 0) break;
                    var pending = new Pending(prepared, new TaskCompletionSource<SubmitOutcome[]>(TaskCreationOptions.RunContinuationsAsynchronously));
                    if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(ReportLedger), "The store is closing and takes no more reports.");
                    // The writer gives these back once it has written them.
                    held = 0;
                    slices.Add(pending.Done.Task);
                }
                catch
                {
                    _budget.Leave(held);
                    throw;
                }
            }
        }
        return slices.Count switch
        {
            0 => Task.FromResult(Array.Empty<SubmitOutcome>()),
            1 => slices[0],
            _ => Concat(slices),
        };

        static async Task<SubmitOutcome[]> Concat(List<Task<SubmitOutcome[]>> slices) => (await Task.WhenAll(slices)).SelectMany(s => s).ToArray();
    }

    private const int SliceSize = 64;

    /// <summary>The writer thread's kernel id once it runs (Linux; tests read its priority from /proc).</summary>
    internal int WriterThreadId => Volatile.Read(ref _writerThreadId);
    internal int CheckpointThreadId => _checkpointer.ThreadId;
    private int _writerThreadId;

    private void WriteLoop()
    {
        Volatile.Write(ref _writerThreadId, ThreadScheduling.CurrentThreadId());
        if (_options.WriterNice != 0 && ThreadScheduling.TrySetNice(_options.WriterNice) is { } why)
            _log($"The report writer runs at the default priority, not nice {_options.WriterNice}: {why}.");
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            try { _checkpointer.RestartLogIfLarge(_connection); }
            catch (Exception e) when (e is SqliteException or IOException) { _log($"The write-ahead log could not be started over: {e.Message}"); }
            _campaignStore.BetweenTransactions();
            var count = 0;
            while (count < _options.MaxGroupCommit && reader.TryRead(out var p))
            {
                group.Add(p);
                count += p.Reports.Count;
            }
            try { WriteGroup(group); }
            finally
            {
                // Not held while the next group waits to start: its reports are out of the writer's hands.
                group.Clear();
                _budget.Leave(count);
            }
        }
    }

    private void WriteGroup(List<Pending> group)
    {
        var results = new SubmitOutcome[group.Count][];
        var failures = new Exception?[group.Count];
        _firstScores.Clear();
        _unscored.Clear();
        _answers.Clear();
        try
        {
            _begin.Execute();
            _nextSeq = ReadLastSeq() + 1;
            for (var g = 0; g < group.Count; g++)
            {
                _slice = g;
                var reports = group[g].Reports;
                var outcomes = new SubmitOutcome[reports.Count];
                var (firstScoresBefore, answersBefore, seqBefore) = (_firstScores.Count, _answers.Count, _nextSeq);
                _savepoint.Execute();
                try
                {
                    for (var i = 0; i < reports.Count; i++) outcomes[i] = WriteOne(reports[i], i);
                    _release.Execute();
                    results[g] = outcomes;
                    ScoreOnThreadPool(_firstScores.GetRange(firstScoresBefore, _firstScores.Count - firstScoresBefore));
                }
                catch (Exception e)
                {
                    // A request's reports go in whole or not at all; the rest of the group carries on.
                    _rollbackTo.Execute();
                    _release.Execute();
                    for (var f = firstScoresBefore; f < _firstScores.Count; f++) _unscored.Remove(_firstScores[f].Prepared.Report.ReportId);
                    _firstScores.RemoveRange(firstScoresBefore, _firstScores.Count - firstScoresBefore);
                    _answers.RemoveRange(answersBefore, _answers.Count - answersBefore);
                    _nextSeq = seqBefore;
                    // Rows and first scores of earlier slices written inside this one (a campaign read or re-scored them) were
                    // rolled back too: they are written again later.
                    foreach (var f in _firstScores)
                    {
                        if (f.WrittenInSlice == g) f.WrittenInSlice = -1;
                        if (f.RowWrittenInSlice == g) f.RowWrittenInSlice = -1;
                    }
                    _rowsPending = _firstScores.Count(f => f.RowPending);
                    ForgetUncommitted();
                    // The text index was refilled from the stored rows; the earlier requests' rows still waiting are not among them.
                    foreach (var f in _firstScores)
                        if (f.RowPending && f.Prepared.Observed.TextSignature is { } text) _engine.RememberText(f.Prepared.Report.ReportId, text);
                    failures[g] = e;
                }
            }
            // The first scores were computed on the thread pool meanwhile (or are computed now, here); they go in before the commit.
            _slice = group.Count;
            foreach (var f in _firstScores) if (f.WrittenInSlice < 0) WriteFirstScore(f);
            foreach (var a in _answers) results[a.Slice][a.Index] = SubmitOutcome.Of(a.Status, a.Score.Work.Value);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            _commit.Execute();
            Interlocked.Add(ref _commitTicks, System.Diagnostics.Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _commits);
            _checkpointer.Committed();
        }
        catch (Exception e)
        {
            try { _rollback.Execute(); } catch (SqliteException) { /* nothing left to roll back */ }
            foreach (var p in group) p.Done.TrySetException(e);
            ForgetUncommitted();
            return;
        }
        finally
        {
            _firstScores.Clear();
            _unscored.Clear();
            _answers.Clear();
            _rowsPending = 0;
        }
        // Answers wait for the log to be on disk; the writer goes on with the next group meanwhile.
        // Only the answers wait for the flush: the prepared reports (their JSON, facts and observations) are let go now,
        // so the collections in between do not copy them.
        var done = new TaskCompletionSource<SubmitOutcome[]>[group.Count];
        for (var g = 0; g < done.Length; g++) done[g] = group[g].Done;
        _sync.AfterCommit(flushFailure =>
        {
            for (var g = 0; g < done.Length; g++)
            {
                if ((flushFailure ?? failures[g]) is { } e) done[g].TrySetException(e);
                else
                {
                    Interlocked.Add(ref _written, results[g].Length);
                    done[g].TrySetResult(results[g]);
                }
            }
        });
    }

    /// <summary>Scores a slice's new reports on the thread pool while the writer goes on; a failure surfaces when the writer writes the score.</summary>
    private static void ScoreOnThreadPool(List<FirstScore> scores)
    {
        if (scores.Count == 0) return;
        ThreadPool.UnsafeQueueUserWorkItem(static list =>
        {
            foreach (var f in list)
            {
                try { _ = f.Work.Value; }
                catch (Exception) { /* Lazy keeps it: the writer meets it again and fails the group */ }
            }
        }, scores, preferLocal: false);
    }

    /// <summary>A new report's first score: its row's score columns and the first row of its history.</summary>
    /// <param name="timed">False inside a re-score, whose own stage counts it.</param>
    private void WriteFirstScore(FirstScore f, bool timed = true)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var (result, json) = f.Work.Value;
        var at = timed ? Timed(FirstScoreWaitStage, started) : started;
        if (f.RowPending) WriteRow(f, result);
        else SetScore(f.Seq, result);
        SaveHistory(f.Seq, result, "submitted", json);
        if (timed) Timed(ScoresStage, at);
        f.WrittenInSlice = _slice;
    }

    /// <summary>The last number given in the reports table, 0 when it is empty.</summary>
    private long ReadLastSeq()
    {
        try { return _lastSeq.Read() ? _lastSeq.Long(0) : 0; }
        finally { _lastSeq.Reset(); }
    }

    /// <summary>
    /// Called before anything reads the reports table inside the group (<paramref name="reportId"/>'s row, or any when null):
    /// writes the rows still waiting for their first score, in order, without it (it follows as an update).
    /// </summary>
    private void EnsureRows(string? reportId)
    {
        if (_rowsPending == 0) return;
        if (reportId is not null && !(_unscored.TryGetValue(reportId, out var one) && one.RowPending)) return;
        foreach (var f in _firstScores) if (f.RowPending) WriteRow(f, null);
    }

    /// <summary>A new report's row, with its first score's columns when given.</summary>
    private void WriteRow(FirstScore f, ScoreResult? result)
    {
        var p = f.Prepared;
        var report = p.Report;
        var q = result is null ? _insert : _insertScored;
        q.Bind(1, f.Seq).Bind(2, report.ReportId).Bind(3, p.Hash).Bind(4, report.ReceivedAt!.Value.ToString("O")).Bind(5, report.Category)
            .Bind(6, p.Observed.Subject).Bind(7, p.Observed.ReporterId).BindUtf8(8, p.Json).BindUtf8(9, p.ObservedJson).Bind(10, f.CampaignId);
        if (result is not null)
            q.Bind(11, result.Score).Bind(12, result.Level).Bind(13, result.Flagged ? 1 : 0).Bind(14, result.ModelVersion).Bind(15, result.ScoredAt.ToString("O"));
        q.Execute();
        f.RowWrittenInSlice = _slice;
        _rowsPending--;
    }

    /// <summary>A read connection that streams the campaign keys once into the key filter: it needs no page cache of its own.</summary>
    private SqliteConnection OpenFilterReader()
    {
        var connection = SqliteSchema.Open(_options, readOnly: true);
        SqliteSchema.Execute(connection, "PRAGMA cache_size = -2048;");
        return connection;
    }

    /// <summary>
    /// Campaign counters, links and memberships are derived from the stored reports. When a migration changes how
    /// they are kept, it asks for them to be derived again: every stored report is recorded again, oldest first, as
    /// when it arrived; its scores stay as they were. Until it has finished, a restart starts it over.
    /// </summary>
    /// <returns>Whether it ran.</returns>
    private bool RebuildCampaignsIfAsked()
    {
        if (SqliteSchema.Scalar(_connection, "SELECT value FROM store_state WHERE name = 'rebuild_campaigns'") is not string reason) return false;
        var total = (long)SqliteSchema.Scalar(_connection, "SELECT count(*) FROM reports")!;
        _log($"Deriving campaign counters again from {total:N0} stored reports ({reason}); scores are kept. This runs once.");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        SqliteSchema.Execute(_connection, """
            BEGIN IMMEDIATE;
            DELETE FROM campaign_keys; DELETE FROM key_sightings; DELETE FROM campaign_key_reporters; DELETE FROM subject_days; DELETE FROM campaigns;
            DELETE FROM subject_ordinals;
            DELETE FROM campaign_links;
            UPDATE reports SET campaign_id = NULL WHERE campaign_id IS NOT NULL;
            COMMIT;
            """);
        _campaignStore.Emptied();
        _engine.Text.Clear();
        long last = 0, done = 0;
        var reported = TimeSpan.Zero;
        while (true)
        {
            var chunk = new List<(long Seq, string Json)>();
            using (var cmd = _connection.CreateCommand())
            {
                cmd.CommandText = "SELECT seq, observed_json FROM reports WHERE seq > $last ORDER BY seq LIMIT 2000";
                cmd.Parameters.AddWithValue("$last", last);
                using var r = cmd.ExecuteReader();
                while (r.Read()) chunk.Add((r.GetInt64(0), r.GetString(1)));
            }
            if (chunk.Count == 0) break;
            _begin.Execute();
            foreach (var (_, json) in chunk) _engine.Record(StoredJson.Deserialize<ObservedReport>(json));
            _commit.Execute();
            last = chunk[^1].Seq;
            done += chunk.Count;
            if (watch.Elapsed - reported >= TimeSpan.FromSeconds(10))
            {
                reported = watch.Elapsed;
                _log($"Deriving campaign counters again: {done:N0} of {total:N0} reports ({100.0 * done / Math.Max(1, total):N0}%) in {reported.TotalSeconds:N0} s.");
            }
        }
        SqliteSchema.Execute(_connection, "DELETE FROM store_state WHERE name = 'rebuild_campaigns'");
        _log($"Campaign counters derived from {total:N0} reports in {watch.Elapsed.TotalSeconds:N0} s.");
        return true;
    }

    /// <summary>What the writer holds in memory may describe reports that were just rolled back: read it again from the store.</summary>
    private void ForgetUncommitted()
    {
        _campaignStore.RolledBack();
        try { RefillTextIndex(); }
        catch (Exception e) when (e is SqliteException or IOException or JsonException)
        {
            // The store is failing (the rollback's cause, most likely): an empty text index finds fewer copies, no wrong ones.
            _engine.Text.Clear();
            _log($"The text index could not be refilled after a rollback and starts empty: {e.Message}");
        }
    }

    /// <summary>
    /// The text index is memory only: it is refilled with the most recent stored reports, oldest first, streamed in
    /// store order (a quarter of a million reports is read without holding them all).
    /// </summary>
    private void RefillTextIndex()
    {
        _engine.Text.Clear();
        long from;
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT seq FROM reports ORDER BY seq DESC LIMIT 1 OFFSET $skip";
            cmd.Parameters.AddWithValue("$skip", (long)_campaignOptions.TextIndexReports - 1);
            from = cmd.ExecuteScalar() is long seq ? seq : 0;
        }
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT observed_json FROM reports WHERE seq >= $from ORDER BY seq";
            cmd.Parameters.AddWithValue("$from", from);
            using var r = cmd.ExecuteReader();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (r.Read())
            {
                var o = StoredJson.Deserialize<ObservedText>(r.GetString(0));
                if (o.TextSignature is { } signature) _engine.RememberText(o.ReportId, signature);
            }
            if (_engine.Text.Count > 0) _log($"Text index refilled with the {_engine.Text.Count:N0} most recent report texts in {watch.Elapsed.TotalSeconds:N1} s.");
        }
    }

    /// <summary>The part of a stored <see cref="ObservedReport"/> the text index needs.</summary>
    private sealed class ObservedText
    {
        public string ReportId { get; set; } = "";
        public string? TextSignature { get; set; }
    }

    private Prepared Prepare(Report report)
    {
        // The contract's own JSON, whose SHA-256 is the report's content hash.
        var full = ContractWriter.ToUtf8(report);
        var hash = Convert.ToHexStringLower(SHA256.HashData(full));
        var json = _options.StoreEvidenceFiles || report.Evidence?.Any(e => e?.ContentBase64 is not null) != true ? full : ContractWriter.ToUtf8(report, withoutFiles: true);
        var facts = _scorer.Inspect(report);
        var observed = ObservedReport.From(report, _scorer.Options, _campaignOptions, facts);
        return new Prepared(report, hash, json, facts, facts.Select(StoredJson.SerializeUtf8).ToArray(), observed, StoredJson.SerializeUtf8(observed));
    }

    /// <param name="index">The report's place in its request (a first score answers it once computed).</param>
    private SubmitOutcome WriteOne(Prepared p, int index)
    {
        var report = p.Report;
        // The same report twice in one group: its row is written, its score may not be yet.
        if (_unscored.TryGetValue(report.ReportId, out var earlier))
        {
            if (earlier.Prepared.Hash != p.Hash) return SubmitOutcome.Conflict;
            _answers.Add(new Answer(_slice, index, earlier, SubmitStatus.Unchanged));
            return new SubmitOutcome(SubmitStatus.Unchanged, null);
        }
        WritingReport?.Invoke(report.ReportId);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var found = _find.Bind(1, report.ReportId);
        try
        {
            if (found.Read())
            {
                if (found.Text(1) != p.Hash) return SubmitOutcome.Conflict;
                // Stored scores are read back and written again: older stores kept them in another JSON layout.
                var stored = found.Text(3) is { } json ? StoredJson.Deserialize<ScoreResult>(json) : null;
                if (stored is not null && found.Text(2) == _scorer.ModelVersion) return new SubmitOutcome(SubmitStatus.Unchanged, ScoreJson.ToUtf8(stored));
                found.Reset();
                // The row was just found inside this transaction, so Rescore finds it too.
                var rescored = Rescore(report.ReportId, "resubmitted")
                    ?? throw new InvalidOperationException($"Report {report.ReportId} was found and then not found in one transaction.");
                Timed(RescoresStage, started);
                return SubmitOutcome.Of(SubmitStatus.Rescored, rescored);
            }
        }
        finally { found.Reset(); }
        var at = Timed(LookupStage, started);

        // Campaign first (the report's own row does not exist yet, so the engine never finds it among the members to
        // re-score), then the row with its campaign and its evidence facts. The score is computed off this thread.
        var observation = _engine.Record(p.Observed);
        at = Timed(CampaignStage, at);
        // The row itself waits for the first score (one insert instead of an insert and an update); its number is taken now.
        var seq = _nextSeq++;
        for (var i = 0; i < p.Facts.Count; i++)
        {
            var f = p.Facts[i];
            _insertFacts.Bind(1, seq).Bind(2, f.Index).Bind(3, f.ComputedSha256 ?? f.DeclaredSha256).BindUtf8(4, p.FactsJson[i]).Execute();
        }
        at = Timed(RowsStage, at);
        var context = observation.Context;
        var first = new FirstScore(p, seq, observation.Context.Campaign?.CampaignId, () =>
        {
            var result = _scorer.Score(report, context, p.Facts);
            return (result, ScoreJson.ToUtf8(result));
        });
        _firstScores.Add(first);
        _unscored[report.ReportId] = first;
        _rowsPending++;
        _answers.Add(new Answer(_slice, index, first, SubmitStatus.Scored));
        if (observation.Rescore.Count == 0) return new SubmitOutcome(SubmitStatus.Scored, null);
        foreach (var id in observation.Rescore) Rescore(id, "campaign");
        Timed(RescoresStage, at);
        return new SubmitOutcome(SubmitStatus.Scored, null);
    }

    /// <summary>Scores a stored report again with everything known now, as a new row of its score history.</summary>
    private (ScoreResult Result, byte[] Json)? Rescore(string reportId, string cause)
    {
        // A report of this group whose first score is not written yet: it goes first, so the history stays in order.
        if (_unscored.TryGetValue(reportId, out var first) && first.WrittenInSlice < 0) WriteFirstScore(first, timed: false);
        long seq;
        string reportJson, observedJson;
        var stored = _loadStored.Bind(1, reportId);
        try
        {
            if (!stored.Read()) return null;
            (seq, reportJson, observedJson) = (stored.Long(0), stored.Text(1)!, stored.Text(2)!);
        }
        finally { stored.Reset(); }
        var report = JsonConvert.DeserializeObject<Report>(reportJson, ContractJson.ReadSettings)!;
        var facts = new List<EvidenceFacts>();
        var rows = _loadFacts.Bind(1, seq);
        try { while (rows.Read()) facts.Add(StoredJson.Deserialize<EvidenceFacts>(rows.Text(0)!)); }
        finally { rows.Reset(); }
        var observed = _campaignStore.GetObserved(reportId) ?? StoredJson.Deserialize<ObservedReport>(observedJson);
        var result = _scorer.Score(report, _engine.Context(observed, recorded: true), facts);
        var json = ScoreJson.ToUtf8(result);
        SetScore(seq, result);
        SaveHistory(seq, result, cause, json);
        return (result, json);
    }

    /// <summary>A stored report's current score: the columns of its row (its history row is <see cref="SaveHistory"/>).</summary>
    private void SetScore(long seq, ScoreResult result) =>
        _updateScore.Bind(1, seq).Bind(2, result.Score).Bind(3, result.Level).Bind(4, result.Flagged ? 1 : 0).Bind(5, result.ModelVersion)
            .Bind(6, result.ScoredAt.ToString("O")).Execute();

    /// <summary>A row of a report's score history.</summary>
    /// <param name="json">The result as stored JSON, UTF-8.</param>
    private void SaveHistory(long seq, ScoreResult result, string cause, byte[] json) =>
        _insertScore.Bind(1, seq).Bind(2, result.ScoredAt.ToString("O")).Bind(3, result.Score).Bind(4, result.Level).Bind(5, result.Flagged ? 1 : 0)
            .Bind(6, result.ModelVersion).Bind(7, result.Campaign?.CampaignId).Bind(8, cause).BindUtf8(9, json).Execute();

    private bool _disposed;

    /// <summary>Stops taking reports, writes those already queued, and closes the store. Once: a second call does nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _queue.Writer.TryComplete();
        _writer.Join();
        _sync.Dispose();
        _checkpointer.Dispose();
        _campaignStore.Dispose();
        foreach (var statement in _statements) statement.Dispose();
        _connection.Dispose();
        _writerLock.Dispose();
    }
}
