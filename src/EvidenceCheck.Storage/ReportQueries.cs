using System.Globalization;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage;

public sealed record ScoreHistoryEntry(DateTimeOffset ScoredAt, double Score, string Level, bool Flagged, string ModelVersion, string? CampaignId, string Cause);

public sealed record DecisionEntry(DateTimeOffset DecidedAt, string Decision, string? Note, string Reviewer, double? ScoreAtDecision, string? ModelVersion);

/// <param name="ReportJson">The report as stored (evidence files left out unless configured).</param>
public sealed record StoredReport(string ReportId, DateTimeOffset ReceivedAt, string? Category, string? CampaignId, ScoreResult? Score,
    string ReportJson, IReadOnlyList<EvidenceFacts> Evidence, IReadOnlyList<ScoreHistoryEntry> Scores, IReadOnlyList<DecisionEntry> Decisions);

public sealed record QueueItem(string ReportId, double Score, string Level, string? Category, string? CampaignId, DateTimeOffset ReceivedAt, DateTimeOffset? ScoredAt);

/// <summary>The audit entry that goes with a decision: who, in which campaign, and what they saw (score, note, rule).</summary>
public sealed record DecisionAudit(AuditLog Log, string Actor, string? CampaignId, object Detail);

public sealed record QueueFilter(string? Level = null, string? Category = null, string? CampaignId = null, int Page = 1, int PageSize = 50);

public sealed record QueuePage(IReadOnlyList<QueueItem> Items, int Page, int PageSize, bool HasMore);

public sealed record CampaignMember(string ReportId, DateTimeOffset ReceivedAt, string? ReporterId, string? Subject, double? Score, string? Level, bool Flagged);

public sealed record CampaignView(string CampaignId, DateTimeOffset CreatedAt, int Reports, int Reporters, IReadOnlyDictionary<string, int> Links,
    IReadOnlyList<CampaignMember> Members, IReadOnlyList<CampaignLink> LinksBetween);

/// <summary>
/// What reviewers read, and their decisions. Reads run on their own pooled connections (WAL: they never
/// wait for the writer); a decision is a single small transaction.
/// </summary>
public sealed class ReportQueries(StorageOptions options, TimeProvider time)
{
    /// <summary>A reviewer's possible verdicts; stored as labels for retraining.</summary>
    public static readonly string[] Decisions = ["fabricated", "genuine", "inconclusive"];

    public StoredReport? GetReport(string reportId)
    {
        using var c = SqliteSchema.Open(options);
        long seq;
        StoredReport report;
        using (var cmd = Command(c, "SELECT r.seq, r.received_at, r.category, r.campaign_id, (SELECT s.result_json FROM scores s WHERE s.report_seq = r.seq ORDER BY s.id DESC LIMIT 1), r.report_json FROM reports r WHERE r.report_id = $id", reportId))
        using (var r = cmd.ExecuteReader())
        {
            if (!r.Read()) return null;
            seq = r.GetInt64(0);
            report = new StoredReport(reportId, Time(r.GetString(1)), Text(r, 2), Text(r, 3),
                r.IsDBNull(4) ? null : StoredJson.Deserialize<ScoreResult>(r.GetString(4)), r.GetString(5), [], [], []);
        }
        var facts = new List<EvidenceFacts>();
        using (var cmd = Command(c, "SELECT facts_json FROM evidence_facts WHERE report_seq = $s ORDER BY idx", seq))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) facts.Add(StoredJson.Deserialize<EvidenceFacts>(r.GetString(0)));
        var scores = new List<ScoreHistoryEntry>();
        using (var cmd = Command(c, "SELECT scored_at, score, level, flagged, model_version, campaign_id, cause FROM scores WHERE report_seq = $s ORDER BY id", seq))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) scores.Add(new ScoreHistoryEntry(Time(r.GetString(0)), r.GetDouble(1), r.GetString(2), r.GetInt64(3) != 0, r.GetString(4), Text(r, 5), r.GetString(6)));
        var decisions = new List<DecisionEntry>();
        using (var cmd = Command(c, "SELECT decided_at, decision, note, reviewer, score, model_version FROM decisions WHERE report_seq = $s ORDER BY id", seq))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) decisions.Add(new DecisionEntry(Time(r.GetString(0)), r.GetString(1), Text(r, 2), r.GetString(3), r.IsDBNull(4) ? null : r.GetDouble(4), Text(r, 5)));
        return report with { Evidence = facts, Scores = scores, Decisions = decisions };
    }

    /// <summary>Flagged reports without a decision, strongest first.</summary>
    public QueuePage Queue(QueueFilter filter)
    {
        using var c = SqliteSchema.Open(options);
        using var cmd = c.CreateCommand();
        var sql = "SELECT report_id, score, level, category, campaign_id, received_at, scored_at FROM reports WHERE flagged = 1 AND decision IS NULL";
        if (filter.Level is { } level) { sql += " AND level = $level"; cmd.Parameters.AddWithValue("$level", level); }
        if (filter.Category is { } category) { sql += " AND category = $category"; cmd.Parameters.AddWithValue("$category", category); }
        if (filter.CampaignId is { } campaign) { sql += " AND campaign_id = $campaign"; cmd.Parameters.AddWithValue("$campaign", ResolveCampaign(c, campaign)); }
        cmd.CommandText = sql + " ORDER BY score DESC, seq LIMIT $limit OFFSET $offset";
        cmd.Parameters.AddWithValue("$limit", filter.PageSize + 1);
        cmd.Parameters.AddWithValue("$offset", (long)(filter.Page - 1) * filter.PageSize);
        var items = new List<QueueItem>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            items.Add(new QueueItem(r.GetString(0), r.GetDouble(1), r.GetString(2), Text(r, 3), Text(r, 4), Time(r.GetString(5)), r.IsDBNull(6) ? null : Time(r.GetString(6))));
        var more = items.Count > filter.PageSize;
        if (more) items.RemoveAt(items.Count - 1);
        return new QueuePage(items, filter.Page, filter.PageSize, more);
    }

    /// <summary>A campaign with its members (most recent first, at most <paramref name="maxMembers"/>) and the links between them; a merged id answers with the campaign it joined.</summary>
    public CampaignView? GetCampaign(string campaignId, int maxMembers = 1000)
    {
        using var c = SqliteSchema.Open(options);
        var id = ResolveCampaign(c, campaignId);
        CampaignRecord? record = null;
        using (var cmd = Command(c, "SELECT created_at, reports, reporters, links_json FROM campaigns WHERE campaign_id = $c", id))
        using (var r = cmd.ExecuteReader())
            if (r.Read())
                record = new CampaignRecord
                {
                    CampaignId = id, CreatedAt = Time(r.GetString(0)), Reports = r.GetInt32(1), Reporters = r.GetInt32(2),
                    Links = StoredJson.Deserialize<Dictionary<string, int>>(r.GetString(3)),
                };
        if (record is null) return null;
        var members = new List<CampaignMember>();
        using (var cmd = Command(c, "SELECT report_id, received_at, reporter_id, subject, score, level, flagged FROM reports WHERE campaign_id = $c ORDER BY seq DESC LIMIT $max", id, (long)maxMembers))
        using (var r = cmd.ExecuteReader())
            while (r.Read())
                members.Add(new CampaignMember(r.GetString(0), Time(r.GetString(1)), Text(r, 2), Text(r, 3), r.IsDBNull(4) ? null : r.GetDouble(4), Text(r, 5), r.GetInt64(6) != 0));
        var links = new List<CampaignLink>();
        using (var cmd = Command(c, """
            SELECT l.report_id, l.linked_report_id, l.kind, l.detail FROM campaign_links l
            WHERE l.report_id IN (SELECT report_id FROM reports WHERE campaign_id = $c ORDER BY seq DESC LIMIT $max) ORDER BY l.id
            """, id, (long)maxMembers))
        using (var r = cmd.ExecuteReader())
            while (r.Read()) links.Add(new CampaignLink(id, r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3)));
        return new CampaignView(id, record.CreatedAt, record.Reports, record.Reporters, record.Links, members, links);
    }

    /// <summary>Records a reviewer's decision; null when the report is unknown.</summary>
    /// <param name="audit">The audit entry to write in the same transaction as the decision (the workspace and the API always give one).</param>
    public DecisionEntry? AddDecision(string reportId, string decision, string? note, string reviewer, DecisionAudit? audit = null)
    {
        using var c = SqliteSchema.Open(options);
        using var tx = c.BeginTransaction(deferred: false);
        long seq;
        double? score;
        string? model;
        using (var cmd = Command(c, "SELECT seq, score, model_version FROM reports WHERE report_id = $id", reportId))
        {
            cmd.Transaction = tx;
            using var r = cmd.ExecuteReader();
            if (!r.Read()) return null;
            (seq, score, model) = (r.GetInt64(0), r.IsDBNull(1) ? null : r.GetDouble(1), Text(r, 2));
        }
        var entry = new DecisionEntry(time.GetUtcNow(), decision, note, reviewer, score, model);
        using (var cmd = Command(c, "INSERT INTO decisions (report_seq, decided_at, decision, note, reviewer, score, model_version) VALUES ($s, $t, $d, $n, $r, $score, $m)",
                   seq, entry.DecidedAt.ToString("O"), decision, note, reviewer, score, model))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        using (var cmd = Command(c, "UPDATE reports SET decision = $d WHERE seq = $s", decision, seq))
        {
            cmd.Transaction = tx;
            cmd.ExecuteNonQuery();
        }
        audit?.Log.AppendIn(c, tx, audit.Actor, "decision", reportId, audit.CampaignId, audit.Detail);
        tx.Commit();
        return entry;
    }

    /// <summary>Reports stored, for health and benchmarks (an index-only count).</summary>
    public long CountReports()
    {
        using var c = SqliteSchema.Open(options);
        return (long)SqliteSchema.Scalar(c, "SELECT count(*) FROM reports")!;
    }

    private static string ResolveCampaign(SqliteConnection c, string campaignId)
    {
        var id = campaignId;
        for (var hops = 0; hops < 64; hops++)
        {
            using var cmd = Command(c, "SELECT merged_into FROM campaigns WHERE campaign_id = $c", id);
            if (cmd.ExecuteScalar() is not string next) break;
            id = next;
        }
        return id;
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params object?[] values)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        var names = System.Text.RegularExpressions.Regex.Matches(sql, @"\$[a-z]+").Select(m => m.Value).Distinct().ToArray();
        for (var i = 0; i < values.Length; i++) cmd.Parameters.AddWithValue(names[i], values[i] ?? DBNull.Value);
        return cmd;
    }

    private static DateTimeOffset Time(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
