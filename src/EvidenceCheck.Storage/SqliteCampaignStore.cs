using EvidenceCheck.Core.Campaigns;
using Microsoft.Data.Sqlite;
using Newtonsoft.Json;

namespace EvidenceCheck.Storage;

/// <summary>
/// <see cref="ICampaignStore"/> over the writer's SQLite connection: every call is one indexed point
/// or short range lookup (integer keys, covering primary keys), so a report costs the same on a
/// subject with ten reports as on one with ten thousand. Runs inside the writer's transaction, so a
/// report's campaign changes commit or roll back with the report.
/// </summary>
internal sealed class SqliteCampaignStore : ICampaignStore, IDisposable
{
    private readonly SqliteCommand _getKey, _hasReporter, _addReporter, _increment, _setKeyCampaign, _getSubject, _addToSubject,
        _getObserved, _campaignOf, _setCampaign, _getCampaign, _saveCampaign, _membersOf, _moveMembers, _addLink;
    private readonly List<SqliteCommand> _all = [];
    private readonly SqliteCommand _incrementBands;
    // Observed facts never change once written; reading them back is the hot part of text and link checks.
    private readonly Dictionary<string, ObservedReport> _observedCache = new(StringComparer.Ordinal);
    private const int ObservedCacheLimit = 20_000;
    // Keys read or written recently, as they are in the store (write-through): hot subjects and bands are read far
    // more often than the rest. Bounded; cleared when full and after a rollback.
    private readonly Dictionary<long, KeyStats> _keyCache = [];
    private const int KeyCacheLimit = 200_000;

    public SqliteCampaignStore(SqliteConnection connection)
    {
        SqliteCommand Prepare(string sql, params string[] names)
        {
            var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            foreach (var n in names) cmd.Parameters.Add(new SqliteParameter(n, DBNull.Value));
            _all.Add(cmd);
            return cmd;
        }
        _getKey = Prepare("SELECT reports, reporters, campaign_id, first_report, last_report, last_reporter FROM campaign_keys WHERE k = $k", "$k");
        _hasReporter = Prepare("SELECT 1 FROM campaign_key_reporters WHERE kr = $kr", "$kr");
        _addReporter = Prepare("INSERT OR IGNORE INTO campaign_key_reporters (kr) VALUES ($kr)", "$kr");
        _increment = Prepare("""
            INSERT INTO campaign_keys (k, reports, reporters, first_report, last_report, last_reporter) VALUES ($k, 1, $r, $id, $id, $who)
            ON CONFLICT (k) DO UPDATE SET reports = reports + 1, reporters = reporters + $r, last_report = $id, last_reporter = $who
            """, "$k", "$r", "$id", "$who");
        // All the MinHash bands of a text in one statement: they are most of a report's key writes.
        var rows = Enumerable.Range(0, Core.Campaigns.TextSignature.Bands).Select(i => $"($k{i}, 1, 0, $id, $id, $who)");
        _incrementBands = Prepare($"""
            INSERT INTO campaign_keys (k, reports, reporters, first_report, last_report, last_reporter) VALUES {string.Join(", ", rows)}
            ON CONFLICT (k) DO UPDATE SET reports = reports + 1, last_report = excluded.last_report, last_reporter = excluded.last_reporter
            """, [.. Enumerable.Range(0, Core.Campaigns.TextSignature.Bands).Select(i => $"$k{i}"), "$id", "$who"]);
        _setKeyCampaign = Prepare("UPDATE campaign_keys SET campaign_id = $c WHERE k = $k", "$k", "$c");
        _getSubject = Prepare("""
            SELECT total(reports), total(reporters), total(age_known), total(new_reporters), total(attendance_known), total(attended)
            FROM subject_days WHERE subject = $s AND day BETWEEN $from AND $to
            """, "$s", "$from", "$to");
        _addToSubject = Prepare("""
            INSERT INTO subject_days (subject, day, reports, reporters, age_known, new_reporters, attendance_known, attended)
            VALUES ($s, $d, $a, $b, $c, $e, $f, $g)
            ON CONFLICT (subject, day) DO UPDATE SET reports = reports + $a, reporters = reporters + $b, age_known = age_known + $c,
                new_reporters = new_reporters + $e, attendance_known = attendance_known + $f, attended = attended + $g
            """, "$s", "$d", "$a", "$b", "$c", "$e", "$f", "$g");
        _getObserved = Prepare("SELECT observed_json FROM reports WHERE report_id = $id", "$id");
        _campaignOf = Prepare("SELECT campaign_id FROM reports WHERE report_id = $id", "$id");
        _setCampaign = Prepare("UPDATE reports SET campaign_id = $c WHERE report_id = $id", "$id", "$c");
        _getCampaign = Prepare("SELECT created_at, reports, reporters, merged_into, rescored_at_size, links_json FROM campaigns WHERE campaign_id = $c", "$c");
        _saveCampaign = Prepare("""
            INSERT INTO campaigns (campaign_id, created_at, reports, reporters, merged_into, rescored_at_size, links_json)
            VALUES ($c, $t, $n, $r, $m, $z, $l)
            ON CONFLICT (campaign_id) DO UPDATE SET reports = $n, reporters = $r, merged_into = $m, rescored_at_size = $z, links_json = $l
            """, "$c", "$t", "$n", "$r", "$m", "$z", "$l");
        _membersOf = Prepare("SELECT report_id FROM reports WHERE campaign_id = $c ORDER BY seq DESC LIMIT $max", "$c", "$max");
        _moveMembers = Prepare("UPDATE reports SET campaign_id = $to WHERE campaign_id = $from", "$from", "$to");
        _addLink = Prepare("INSERT INTO campaign_links (campaign_id, report_id, linked_report_id, kind, detail) VALUES ($c, $a, $b, $k, $d)",
            "$c", "$a", "$b", "$k", "$d");
    }

    /// <summary>Forgets cached reads after a rollback: they may describe reports that no longer exist.</summary>
    public void RolledBack()
    {
        _observedCache.Clear();
        _keyCache.Clear();
    }

    public KeyStats GetKey(long key)
    {
        if (_keyCache.TryGetValue(key, out var cached)) return cached;
        _getKey.Parameters[0].Value = key;
        using var r = _getKey.ExecuteReader();
        var stats = r.Read() ? new KeyStats(r.GetInt32(0), r.GetInt32(1), Text(r, 2), Text(r, 3), Text(r, 4), Text(r, 5)) : KeyStats.Empty;
        Cache(key, stats);
        return stats;
    }

    private void Cache(long key, KeyStats stats)
    {
        if (_keyCache.Count >= KeyCacheLimit) _keyCache.Clear();
        _keyCache[key] = stats;
    }

    public bool HasReporter(long key, string reporter)
    {
        _hasReporter.Parameters[0].Value = ReporterKey(key, reporter);
        return _hasReporter.ExecuteScalar() is not null;
    }

    public bool AddReporter(long key, string reporter)
    {
        _addReporter.Parameters[0].Value = ReporterKey(key, reporter);
        return _addReporter.ExecuteNonQuery() == 1;
    }

    public KeyStats Increment(long key, string reportId, string reporter, bool newReporter)
    {
        // A (usually cached) read then an upsert: measured faster here than one upsert with RETURNING.
        var before = GetKey(key);
        Set(_increment, key, newReporter ? 1 : 0, reportId, reporter);
        _increment.ExecuteNonQuery();
        Cache(key, before.Reports == 0
            ? new KeyStats(1, newReporter ? 1 : 0, null, reportId, reportId, reporter)
            : before with { Reports = before.Reports + 1, Reporters = before.Reporters + (newReporter ? 1 : 0), LastReportId = reportId, LastReporter = reporter });
        return before;
    }

    public KeyStats[] IncrementReports(IReadOnlyList<long> keys, string reportId, string reporter)
    {
        if (keys.Count != TextSignature.Bands || keys.Distinct().Count() != keys.Count)
            return keys.Select(k => Increment(k, reportId, reporter, newReporter: false)).ToArray();
        var before = new KeyStats[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            before[i] = GetKey(keys[i]);
            _incrementBands.Parameters[i].Value = keys[i];
        }
        _incrementBands.Parameters[keys.Count].Value = reportId;
        _incrementBands.Parameters[keys.Count + 1].Value = reporter;
        _incrementBands.ExecuteNonQuery();
        for (var i = 0; i < keys.Count; i++)
            Cache(keys[i], before[i].Reports == 0
                ? new KeyStats(1, 0, null, reportId, reportId, reporter)
                : before[i] with { Reports = before[i].Reports + 1, LastReportId = reportId, LastReporter = reporter });
        return before;
    }

    public void SetKeyCampaign(long key, string campaignId)
    {
        Set(_setKeyCampaign, key, campaignId);
        _setKeyCampaign.ExecuteNonQuery();
        if (_keyCache.TryGetValue(key, out var cached)) _keyCache[key] = cached with { CampaignId = campaignId };
    }

    public SubjectCounts GetSubjectCounts(long subject, long fromDay, long toDay)
    {
        Set(_getSubject, subject, fromDay, toDay);
        using var r = _getSubject.ExecuteReader();
        r.Read();
        return new SubjectCounts((int)r.GetDouble(0), (int)r.GetDouble(1), (int)r.GetDouble(2), (int)r.GetDouble(3), (int)r.GetDouble(4), (int)r.GetDouble(5));
    }

    public void AddToSubject(long subject, long day, SubjectCounts d)
    {
        Set(_addToSubject, subject, day, d.Reports, d.Reporters, d.AgeKnown, d.NewReporters, d.AttendanceKnown, d.Attended);
        _addToSubject.ExecuteNonQuery();
    }

    public ObservedReport? GetObserved(string reportId)
    {
        if (_observedCache.TryGetValue(reportId, out var cached)) return cached;
        _getObserved.Parameters[0].Value = reportId;
        if (_getObserved.ExecuteScalar() is not string json) return null;
        var o = JsonConvert.DeserializeObject<ObservedReport>(json, StoredJson.Settings)!;
        if (_observedCache.Count >= ObservedCacheLimit) _observedCache.Clear();
        _observedCache[reportId] = o;
        return o;
    }

    public string? CampaignOf(string reportId)
    {
        _campaignOf.Parameters[0].Value = reportId;
        return _campaignOf.ExecuteScalar() as string;
    }

    public void SetCampaign(string reportId, string campaignId)
    {
        Set(_setCampaign, reportId, campaignId);
        _setCampaign.ExecuteNonQuery();
    }

    public CampaignRecord? GetCampaign(string campaignId)
    {
        _getCampaign.Parameters[0].Value = campaignId;
        using var r = _getCampaign.ExecuteReader();
        if (!r.Read()) return null;
        return new CampaignRecord
        {
            CampaignId = campaignId, CreatedAt = DateTimeOffset.Parse(r.GetString(0), System.Globalization.CultureInfo.InvariantCulture),
            Reports = r.GetInt32(1), Reporters = r.GetInt32(2), MergedInto = Text(r, 3), RescoredAtSize = r.GetInt32(4),
            Links = JsonConvert.DeserializeObject<Dictionary<string, int>>(r.GetString(5)) ?? [],
        };
    }

    public void SaveCampaign(CampaignRecord c)
    {
        Set(_saveCampaign, c.CampaignId, c.CreatedAt.ToString("O"), c.Reports, c.Reporters, c.MergedInto, c.RescoredAtSize, JsonConvert.SerializeObject(c.Links));
        _saveCampaign.ExecuteNonQuery();
    }

    public IReadOnlyList<string> MembersOf(string campaignId, int max)
    {
        Set(_membersOf, campaignId, (long)max);
        var ids = new List<string>();
        using var r = _membersOf.ExecuteReader();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }

    public void MoveMembers(string from, string to)
    {
        Set(_moveMembers, from, to);
        _moveMembers.ExecuteNonQuery();
    }

    public void AddLink(CampaignLink link)
    {
        Set(_addLink, link.CampaignId, link.ReportId, link.LinkedReportId, link.Kind, link.Detail);
        _addLink.ExecuteNonQuery();
    }

    private static long ReporterKey(long key, string reporter) => StableHash.AsKey(StableHash.Add(StableHash.Add(14695981039346656037UL, (ulong)key), reporter));

    private static string? Text(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static void Set(SqliteCommand cmd, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) cmd.Parameters[i].Value = values[i] ?? DBNull.Value;
    }

    public void Dispose()
    {
        foreach (var cmd in _all) cmd.Dispose();
    }
}

/// <summary>Json.NET settings for what the store keeps as JSON (observed facts, evidence facts, scores).</summary>
internal static class StoredJson
{
    public static readonly JsonSerializerSettings Settings = new()
    {
        ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(),
        DateParseHandling = DateParseHandling.DateTimeOffset,
        NullValueHandling = NullValueHandling.Ignore,
        Formatting = Formatting.None,
    };

    private static readonly JsonSerializer Serializer = JsonSerializer.Create(Settings);

    public static string Serialize(object value)
    {
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        Serializer.Serialize(writer, value);
        return writer.ToString();
    }

    /// <summary>A report in the contract's own JSON (as ContractJson.Serialize, with a cached serializer).</summary>
    public static string SerializeReport(EvidenceCheck.Core.Contract.Report report)
    {
        var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        EvidenceCheck.Core.Contract.ContractJson.Writer.Serialize(writer, report);
        return writer.ToString();
    }
    public static T Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Settings)!;
}
