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

/// <param name="Score">The score to answer with (the stored one for <see cref="SubmitStatus.Unchanged"/>, none for a conflict).</param>
public sealed record SubmitOutcome(SubmitStatus Status, ScoreResult? Score);

/// <summary>
/// The only writer of the store. Reports are scored and written one after another on one thread, in
/// arrival order, so every report is scored with everything received before it (the same answers a
/// file gives the command line). Group commit: the reports waiting when a transaction starts share
/// it, and nobody's answer is released before that transaction is durably committed (WAL, fsync).
/// Each report runs in its own savepoint: one that fails leaves nothing half-written and does not
/// fail the others.
/// </summary>
public sealed class ReportLedger : IDisposable
{
    private sealed record Pending(IReadOnlyList<Prepared> Reports, TaskCompletionSource<SubmitOutcome[]> Done);

    /// <summary>A report made ready off the writer's thread: serialized, hashed, evidence read, campaign facts extracted.</summary>
    private sealed record Prepared(Report Report, string Hash, string Json, IReadOnlyList<EvidenceFacts> Facts, string[] FactsJson, ObservedReport Observed, string ObservedJson);

    private readonly StorageOptions _options;
    private readonly ReportScorer _scorer;
    private readonly Channel<Pending> _queue;
    private readonly SqliteConnection _connection;
    private readonly SqliteCampaignStore _campaignStore;
    private readonly CampaignEngine _engine;
    private readonly CampaignOptions _campaignOptions;
    private readonly SqliteCommand _find, _insert, _insertFacts, _loadStored, _loadFacts, _updateScore, _insertScore, _begin, _commit, _rollback, _savepoint, _release, _rollbackTo;
    private readonly Thread _writer;
    private long _written;

    public ReportLedger(StorageOptions options, ReportScorer scorer, CampaignOptions campaignOptions)
    {
        _options = options.Validated();
        _scorer = scorer;
        SqliteSchema.Migrate(options);
        _connection = SqliteSchema.Open(options);
        _campaignStore = new SqliteCampaignStore(_connection);
        _campaignOptions = campaignOptions.Validated();
        _engine = new CampaignEngine(_campaignStore, scorer.Options, _campaignOptions);
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity / 8)) { SingleReader = true });

        SqliteCommand Prepare(string sql, params string[] names)
        {
            var cmd = _connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var n in names) cmd.Parameters.Add(new SqliteParameter(n, DBNull.Value));
            return cmd;
        }
        _find = Prepare("""
            SELECT r.seq, r.content_hash, r.model_version, (SELECT s.result_json FROM scores s WHERE s.report_seq = r.seq ORDER BY s.id DESC LIMIT 1)
            FROM reports r WHERE r.report_id = $id
            """, "$id");
        _insert = Prepare("""
            INSERT INTO reports (report_id, content_hash, received_at, category, subject, reporter_id, report_json, observed_json)
            VALUES ($id, $hash, $received, $category, $subject, $reporter, $json, $observed) RETURNING seq
            """, "$id", "$hash", "$received", "$category", "$subject", "$reporter", "$json", "$observed");
        _insertFacts = Prepare("INSERT INTO evidence_facts (report_seq, idx, sha256, facts_json) VALUES ($seq, $idx, $sha, $facts)", "$seq", "$idx", "$sha", "$facts");
        _loadStored = Prepare("SELECT seq, report_json, observed_json FROM reports WHERE report_id = $id", "$id");
        _loadFacts = Prepare("SELECT facts_json FROM evidence_facts WHERE report_seq = $seq ORDER BY idx", "$seq");
        _updateScore = Prepare("""
            UPDATE reports SET score = $score, level = $level, flagged = $flagged, model_version = $model, scored_at = $at WHERE seq = $seq
            """, "$seq", "$score", "$level", "$flagged", "$model", "$at");
        _insertScore = Prepare("""
            INSERT INTO scores (report_seq, scored_at, score, level, flagged, model_version, campaign_id, cause, result_json)
            VALUES ($seq, $at, $score, $level, $flagged, $model, $campaign, $cause, $json)
            """, "$seq", "$at", "$score", "$level", "$flagged", "$model", "$campaign", "$cause", "$json");
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _savepoint = Prepare("SAVEPOINT report");
        _release = Prepare("RELEASE report");
        _rollbackTo = Prepare("ROLLBACK TO report; RELEASE report");

        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "EvidenceCheck report writer" };
        _writer.Start();
    }

    public string ModelVersion => _scorer.ModelVersion;

    /// <summary>Reports written since start (new ones and re-scores of stored ones are not distinguished).</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Stores and scores one validated report; completes once it is durable.</summary>
    public async Task<SubmitOutcome> SubmitAsync(Report report, CancellationToken cancel = default) =>
        (await SubmitManyAsync([report], cancel))[0];

    /// <summary>
    /// Stores and scores validated reports, in order; completes once all are durable. The outcomes are in the
    /// same order. Reports are handed to the writer in slices as they are prepared, so it starts on a big batch
    /// while the rest is still being read; each slice is written whole or not at all.
    /// </summary>
    public async Task<SubmitOutcome[]> SubmitManyAsync(IReadOnlyList<Report> reports, CancellationToken cancel = default)
    {
        if (reports.Count == 0) return [];
        var slices = new List<Task<SubmitOutcome[]>>();
        for (var start = 0; start < reports.Count; start += SliceSize)
        {
            // The work that needs no store runs here, on the callers' threads, so the single writer only writes.
            var prepared = new Prepared[Math.Min(SliceSize, reports.Count - start)];
            for (var i = 0; i < prepared.Length; i++) prepared[i] = Prepare(reports[start + i]);
            var pending = new Pending(prepared, new TaskCompletionSource<SubmitOutcome[]>(TaskCreationOptions.RunContinuationsAsynchronously));
            // Only waiting for room can be cancelled: once queued, the reports will be stored whatever the caller does.
            await _queue.Writer.WriteAsync(pending, cancel);
            slices.Add(pending.Done.Task);
        }
        if (slices.Count == 1) return await slices[0];
        return (await Task.WhenAll(slices)).SelectMany(s => s).ToArray();
    }

    private const int SliceSize = 64;

    private void WriteLoop()
    {
        var reader = _queue.Reader;
        var group = new List<Pending>();
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            group.Clear();
            var count = 0;
            while (count < _options.MaxGroupCommit && reader.TryRead(out var p))
            {
                group.Add(p);
                count += p.Reports.Count;
            }
            WriteGroup(group);
        }
    }

    private void WriteGroup(List<Pending> group)
    {
        var results = new SubmitOutcome[group.Count][];
        var failures = new Exception?[group.Count];
        try
        {
            _begin.ExecuteNonQuery();
            for (var g = 0; g < group.Count; g++)
            {
                var reports = group[g].Reports;
                var outcomes = new SubmitOutcome[reports.Count];
                _savepoint.ExecuteNonQuery();
                try
                {
                    for (var i = 0; i < reports.Count; i++) outcomes[i] = WriteOne(reports[i]);
                    _release.ExecuteNonQuery();
                    results[g] = outcomes;
                }
                catch (Exception e)
                {
                    // A request's reports go in whole or not at all; the rest of the group carries on.
                    _rollbackTo.ExecuteNonQuery();
                    _campaignStore.RolledBack();
                    failures[g] = e;
                }
            }
            _commit.ExecuteNonQuery();
        }
        catch (Exception e)
        {
            try { _rollback.ExecuteNonQuery(); } catch (SqliteException) { /* nothing left to roll back */ }
            _campaignStore.RolledBack();
            foreach (var p in group) p.Done.TrySetException(e);
            return;
        }
        for (var g = 0; g < group.Count; g++)
        {
            if (failures[g] is { } e) group[g].Done.TrySetException(e);
            else
            {
                Interlocked.Add(ref _written, results[g].Length);
                group[g].Done.TrySetResult(results[g]);
            }
        }
    }

    private Prepared Prepare(Report report)
    {
        var full = StoredJson.SerializeReport(report);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)));
        var json = _options.StoreEvidenceFiles || report.Evidence?.Any(e => e?.ContentBase64 is not null) != true ? full : WithoutFiles(report);
        var facts = _scorer.Inspect(report);
        var observed = ObservedReport.From(report, _scorer.Options, _campaignOptions, facts);
        return new Prepared(report, hash, json, facts, facts.Select(StoredJson.Serialize).ToArray(), observed, StoredJson.Serialize(observed));
    }

    private SubmitOutcome WriteOne(Prepared p)
    {
        var report = p.Report;
        _find.Parameters[0].Value = report.ReportId;
        using (var r = _find.ExecuteReader())
        {
            if (r.Read())
            {
                if (r.GetString(1) != p.Hash) return new SubmitOutcome(SubmitStatus.Conflict, null);
                var stored = r.IsDBNull(3) ? null : StoredJson.Deserialize<ScoreResult>(r.GetString(3));
                if (stored is not null && !r.IsDBNull(2) && r.GetString(2) == _scorer.ModelVersion) return new SubmitOutcome(SubmitStatus.Unchanged, stored);
                r.Close();
                return new SubmitOutcome(SubmitStatus.Rescored, Rescore(report.ReportId, "resubmitted"));
            }
        }

        Set(_insert, report.ReportId, p.Hash, report.ReceivedAt!.Value.ToString("O"), report.Category, p.Observed.Subject, p.Observed.ReporterId, p.Json, p.ObservedJson);
        var seq = (long)_insert.ExecuteScalar()!;
        for (var i = 0; i < p.Facts.Count; i++)
        {
            var f = p.Facts[i];
            Set(_insertFacts, seq, f.Index, f.ComputedSha256 ?? f.DeclaredSha256, p.FactsJson[i]);
            _insertFacts.ExecuteNonQuery();
        }
        var observation = _engine.Record(p.Observed);
        var result = _scorer.Score(report, observation.Context, p.Facts);
        SaveScore(seq, result, "submitted");
        foreach (var id in observation.Rescore) Rescore(id, "campaign");
        return new SubmitOutcome(SubmitStatus.Scored, result);
    }

    /// <summary>Scores a stored report again with everything known now, as a new row of its score history.</summary>
    private ScoreResult? Rescore(string reportId, string cause)
    {
        long seq;
        string reportJson, observedJson;
        _loadStored.Parameters[0].Value = reportId;
        using (var r = _loadStored.ExecuteReader())
        {
            if (!r.Read()) return null;
            (seq, reportJson, observedJson) = (r.GetInt64(0), r.GetString(1), r.GetString(2));
        }
        var report = JsonConvert.DeserializeObject<Report>(reportJson, ContractJson.ReadSettings)!;
        var facts = new List<EvidenceFacts>();
        _loadFacts.Parameters[0].Value = seq;
        using (var r = _loadFacts.ExecuteReader())
            while (r.Read()) facts.Add(StoredJson.Deserialize<EvidenceFacts>(r.GetString(0)));
        var observed = _campaignStore.GetObserved(reportId) ?? StoredJson.Deserialize<ObservedReport>(observedJson);
        var result = _scorer.Score(report, _engine.Context(observed, recorded: true), facts);
        SaveScore(seq, result, cause);
        return result;
    }

    private void SaveScore(long seq, ScoreResult result, string cause)
    {
        var json = StoredJson.Serialize(result);
        var at = result.ScoredAt.ToString("O");
        Set(_updateScore, seq, result.Score, result.Level, result.Flagged ? 1 : 0, result.ModelVersion, at);
        _updateScore.ExecuteNonQuery();
        Set(_insertScore, seq, at, result.Score, result.Level, result.Flagged ? 1 : 0, result.ModelVersion, result.Campaign?.CampaignId, cause, json);
        _insertScore.ExecuteNonQuery();
    }

    private static string WithoutFiles(Report report)
    {
        var saved = report.Evidence!.Select(e => e?.ContentBase64).ToArray();
        try
        {
            foreach (var e in report.Evidence!) if (e is not null) e.ContentBase64 = null;
            return StoredJson.SerializeReport(report);
        }
        finally
        {
            for (var i = 0; i < saved.Length; i++) if (report.Evidence![i] is { } e) e.ContentBase64 = saved[i];
        }
    }

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    /// <summary>Stops taking reports, writes those already queued, and closes the store.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join();
        _campaignStore.Dispose();
        _connection.Dispose();
    }
}
