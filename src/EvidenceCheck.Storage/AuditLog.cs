using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage;

/// <summary>One entry of the reviewers' audit log: who did what to which report, chained to the entry before it.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string? ReportId, string? CampaignId, string Detail, string PrevHash, string Hash);

/// <summary>The outcome of checking the chain: <paramref name="FirstBroken"/> is the sequence number of the first entry that does not hold.</summary>
public sealed record AuditVerification(bool Intact, long Entries, long? FirstBroken, string? Problem);

/// <summary>A reviewer's "genuine" on a high-scored report, waiting for a second, different reviewer.</summary>
public sealed record PendingDecision(long Id, string ReportId, string Decision, string? Note, string Reviewer, DateTimeOffset ProposedAt);

/// <summary>
/// The reviewers' append-only, hash-chained audit log, and the pending two-person decisions.
/// The threat is an insider (the seed's company liaison): every view, reveal of personal data and decision
/// is written here; each entry stores SHA-256(previous hash + its canonical content), so removing or editing
/// an entry breaks the chain from that entry on, and SQLite triggers refuse UPDATE and DELETE outright.
/// Its tables carry their own schema version (review_schema_version), apart from the report store's user_version.
/// </summary>
public sealed class AuditLog(StorageOptions options, TimeProvider time)
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Migration N takes the review tables from version N to N+1. Append only.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE audit_log (
            seq          INTEGER PRIMARY KEY,
            at           TEXT NOT NULL,
            actor        TEXT NOT NULL,
            action       TEXT NOT NULL,
            report_id    TEXT,
            campaign_id  TEXT,
            detail       TEXT NOT NULL,
            prev_hash    TEXT NOT NULL,
            hash         TEXT NOT NULL
        );
        CREATE INDEX ix_audit_report ON audit_log (report_id, seq) WHERE report_id IS NOT NULL;
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted'); END;

        CREATE TABLE review_pending (
            id           INTEGER PRIMARY KEY,
            report_id    TEXT NOT NULL,
            decision     TEXT NOT NULL,
            note         TEXT,
            reviewer     TEXT NOT NULL,
            proposed_at  TEXT NOT NULL,
            closed_at    TEXT,
            closed_by    TEXT,
            outcome      TEXT
        );
        CREATE INDEX ix_review_pending_open ON review_pending (report_id) WHERE closed_at IS NULL;
        """,
    ];

    private readonly Lock _append = new();

    /// <summary>Creates or upgrades the review tables; safe to call at every start.</summary>
    public AuditLog Migrate()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        using var c = SqliteSchema.Open(options);
        SqliteSchema.Execute(c, "CREATE TABLE IF NOT EXISTS review_schema_version (version INTEGER NOT NULL)");
        SqliteSchema.MigrateInSteps(c, "SELECT coalesce(max(version), 0) FROM review_schema_version", Migrations,
            v => $"INSERT INTO review_schema_version (version) VALUES ({v})",
            v => $"The review tables in {options.DatabasePath} have version {v}, newer than this build knows ({Migrations.Length}).");
        return this;
    }

    /// <summary>Appends one entry, chained to the last; returns it.</summary>
    public AuditEntry Append(string actor, string action, string? reportId, string? campaignId, object detail)
    {
        lock (_append)
        {
            using var c = SqliteSchema.Open(options);
            using var tx = c.BeginTransaction(deferred: false);
            var entry = AppendIn(c, tx, actor, action, reportId, campaignId, detail);
            tx.Commit();
            return entry;
        }
    }

    /// <summary>
    /// Appends inside the caller's write transaction (begun IMMEDIATE, which already excludes every other writer),
    /// so the entry commits or rolls back with what it records: a decision is never stored without its entry.
    /// </summary>
    internal AuditEntry AppendIn(SqliteConnection c, SqliteTransaction tx, string actor, string action, string? reportId, string? campaignId, object detail)
    {
        var detailJson = JsonSerializer.Serialize(detail, JsonSerializerOptions.Web);
        long seq;
        string prev;
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
            using var r = cmd.ExecuteReader();
            (seq, prev) = r.Read() ? (r.GetInt64(0) + 1, r.GetString(1)) : (1L, Genesis);
        }
        var at = time.GetUtcNow();
        var hash = Chain(prev, seq, at, actor, action, reportId, campaignId, detailJson);
        using (var cmd = c.CreateCommand())
        {
            cmd.Transaction = tx;
            cmd.CommandText = """
                INSERT INTO audit_log (seq, at, actor, action, report_id, campaign_id, detail, prev_hash, hash)
                VALUES ($seq, $at, $actor, $action, $report, $campaign, $detail, $prev, $hash)
                """;
            cmd.Parameters.AddWithValue("$seq", seq);
            cmd.Parameters.AddWithValue("$at", Stamp(at));
            cmd.Parameters.AddWithValue("$actor", actor);
            cmd.Parameters.AddWithValue("$action", action);
            cmd.Parameters.AddWithValue("$report", (object?)reportId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$campaign", (object?)campaignId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$detail", detailJson);
            cmd.Parameters.AddWithValue("$prev", prev);
            cmd.Parameters.AddWithValue("$hash", hash);
            cmd.ExecuteNonQuery();
        }
        return new AuditEntry(seq, Parse(Stamp(at)), actor, action, reportId, campaignId, detailJson, prev, hash);
    }

    /// <summary>Entries, oldest first: all of them, or those about one report.</summary>
    public IReadOnlyList<AuditEntry> Read(string? reportId = null, long afterSeq = 0, int limit = 500)
    {
        using var c = SqliteSchema.Open(options, readOnly: true);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, at, actor, action, report_id, campaign_id, detail, prev_hash, hash FROM audit_log WHERE seq > $after"
                          + (reportId is null ? "" : " AND report_id = $report") + " ORDER BY seq LIMIT $limit";
        cmd.Parameters.AddWithValue("$after", afterSeq);
        cmd.Parameters.AddWithValue("$limit", limit);
        if (reportId is not null) cmd.Parameters.AddWithValue("$report", reportId);
        var entries = new List<AuditEntry>();
        using var r = cmd.ExecuteReader();
        while (r.Read()) entries.Add(ReadEntry(r));
        return entries;
    }

    /// <summary>Walks the whole chain and names the first entry whose hash, link or number does not hold.</summary>
    public AuditVerification Verify() => Verify(options.DatabasePath);

    public static AuditVerification Verify(string databasePath)
    {
        using var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        c.Open();
        using (var exists = c.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit_log'";
            if ((long)exists.ExecuteScalar()! == 0) return new AuditVerification(true, 0, null, null);
        }
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT seq, at, actor, action, report_id, campaign_id, detail, prev_hash, hash FROM audit_log ORDER BY seq";
        using var r = cmd.ExecuteReader();
        var prev = Genesis;
        long expected = 1, count = 0;
        while (r.Read())
        {
            var e = ReadEntry(r);
            count++;
            if (e.Seq != expected)
                return new AuditVerification(false, count, expected, $"entry {expected} is missing (the next entry is {e.Seq}): entries were removed");
            if (e.PrevHash != prev)
                return new AuditVerification(false, count, e.Seq, $"entry {e.Seq} does not link to the entry before it (prev_hash {Short(e.PrevHash)}, expected {Short(prev)})");
            var computed = Chain(prev, e.Seq, e.At, e.Actor, e.Action, e.ReportId, e.CampaignId, e.Detail);
            if (computed != e.Hash)
                return new AuditVerification(false, count, e.Seq, $"entry {e.Seq} was altered: its content hashes to {Short(computed)}, the stored hash is {Short(e.Hash)}");
            prev = e.Hash;
            expected++;
        }
        return new AuditVerification(true, count, null, null);
    }

    // ---- pending two-person decisions ----

    public PendingDecision? OpenPending(string reportId)
    {
        using var c = SqliteSchema.Open(options, readOnly: true);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, report_id, decision, note, reviewer, proposed_at FROM review_pending WHERE report_id = $r AND closed_at IS NULL ORDER BY id LIMIT 1";
        cmd.Parameters.AddWithValue("$r", reportId);
        using var r = cmd.ExecuteReader();
        return r.Read() ? new PendingDecision(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), Parse(r.GetString(5))) : null;
    }

    /// <summary>Open pending decisions for many reports at once (the queue).</summary>
    public IReadOnlyDictionary<string, PendingDecision> OpenPending(IEnumerable<string> reportIds)
    {
        var ids = reportIds.Distinct().ToArray();
        var found = new Dictionary<string, PendingDecision>(StringComparer.Ordinal);
        if (ids.Length == 0) return found;
        using var c = SqliteSchema.Open(options, readOnly: true);
        using var cmd = c.CreateCommand();
        var names = ids.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        cmd.CommandText = $"SELECT id, report_id, decision, note, reviewer, proposed_at FROM review_pending WHERE closed_at IS NULL AND report_id IN ({string.Join(",", names)})";
        for (var i = 0; i < ids.Length; i++) cmd.Parameters.AddWithValue(names[i], ids[i]);
        using var r = cmd.ExecuteReader();
        while (r.Read())
            found.TryAdd(r.GetString(1), new PendingDecision(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4), Parse(r.GetString(5))));
        return found;
    }

    public PendingDecision AddPending(string reportId, string decision, string? note, string reviewer)
    {
        var at = time.GetUtcNow();
        using var c = SqliteSchema.Open(options);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO review_pending (report_id, decision, note, reviewer, proposed_at) VALUES ($r, $d, $n, $who, $at) RETURNING id";
        cmd.Parameters.AddWithValue("$r", reportId);
        cmd.Parameters.AddWithValue("$d", decision);
        cmd.Parameters.AddWithValue("$n", (object?)note ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$who", reviewer);
        cmd.Parameters.AddWithValue("$at", Stamp(at));
        var id = (long)cmd.ExecuteScalar()!;
        return new PendingDecision(id, reportId, decision, note, reviewer, Parse(Stamp(at)));
    }

    /// <summary>Closes a pending decision: "agreed" (a second reviewer made it count) or "superseded" (another decision counted).</summary>
    public void ClosePending(long id, string closedBy, string outcome)
    {
        using var c = SqliteSchema.Open(options);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE review_pending SET closed_at = $at, closed_by = $by, outcome = $o WHERE id = $id AND closed_at IS NULL";
        cmd.Parameters.AddWithValue("$at", Stamp(time.GetUtcNow()));
        cmd.Parameters.AddWithValue("$by", closedBy);
        cmd.Parameters.AddWithValue("$o", outcome);
        cmd.Parameters.AddWithValue("$id", id);
        cmd.ExecuteNonQuery();
    }

    /// <summary>The canonical content of an entry and the hash that chains it: SHA-256 over the previous hash and a JSON array of the fields.</summary>
    public static string Chain(string prevHash, long seq, DateTimeOffset at, string actor, string action, string? reportId, string? campaignId, string detail)
    {
        var canonical = JsonSerializer.Serialize(new object?[] { seq, Stamp(at), actor, action, reportId, campaignId, detail });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prevHash + "\n" + canonical)));
    }

    private static AuditEntry ReadEntry(SqliteDataReader r) => new(r.GetInt64(0), Parse(r.GetString(1)), r.GetString(2), r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8));

    // Stored and hashed as UTC with fixed precision, so the canonical form survives a round trip.
    private static string Stamp(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    private static DateTimeOffset Parse(string s) => DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
