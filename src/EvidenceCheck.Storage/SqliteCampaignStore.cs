using System.Text;
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
    private readonly Statement _getKey, _putKey, _addSighting, _getSighting, _hasSpilledReporter, _spillReporter, _setReporters, _count, _setKeyCampaign, _getSubject, _addToSubject,
        _getObserved, _campaignOf, _numberSubject, _setCampaign, _getCampaign, _saveCampaign, _membersOf, _moveMembers, _addLink, _lastSeq;
    private readonly List<Statement> _all = [];
    // Observed facts never change once written; reading them back is the hot part of text and link checks.
    private readonly Dictionary<string, ObservedReport> _observedCache = new(StringComparer.Ordinal);
    private const int ObservedCacheLimit = 5_000;
    // Keys read or written recently, as they are in the store (write-through): hot subjects and ranges are read far
    // more often than the rest. Keys the filter rules out are not kept (see Row). Bounded; cleared when full and after a
    // rollback.
    private readonly Dictionary<long, KeyRow> _keyCache = [];
    private const int KeyCacheLimit = 50_000;

    /// <summary>
    /// A key's first reporters are kept in its own row (most keys only ever see one or two), so counting a reporter
    /// rewrites the page the key's counters are on anyway. Beyond this many they go to campaign_key_reporters.
    /// </summary>
    internal const int InlineReporters = 16;

    /// <summary>A campaign_keys row as cached: its counters, and the hashes of the reporters counted in the row itself.</summary>
    private sealed class KeyRow
    {
        public KeyStats Stats = KeyStats.Empty;
        public long[] Reporters = [];
        public bool Spilled;
        /// <summary>Seen once, and kept as a sighting (key_sightings), not yet as a campaign_keys row.</summary>
        public bool Sighted;
    }

    // Subjects' numbers (subject_ordinals), by the low 32 bits of the subject's hash, in the compact index key sightings
    // use (8 bytes a slot, ~12 a subject). All of them, read at start: a subject not found here has no keys, and looking
    // it up in the table would cost the random page the numbers are there to avoid.
    private KeySightings _subjectNumbers = new();
    private int _lastSubjectNumber;
    private bool _subjectNumbersStale;
    private readonly List<long> _numberCandidates = [];

    // First sightings of scattered keys (devices, files): where they are in key_sightings.
    private readonly SqliteConnection _connection;
    private KeySightings _sightings;
    private readonly List<long> _candidates = [];

    // Which keys certainly are not stored (most lookups are of keys never seen): the one in use, complete, and the one
    // being filled in the background (at start, and when the one in use has taken twice the keys it was sized for).
    private readonly Func<SqliteConnection>? _openReader;
    private readonly Action<string> _log;
    private CampaignKeyFilter? _filter, _filling;
    private Task? _fillTask;
    private DateTime _fillFailedAt = DateTime.MinValue;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Called before a read or write of the reports table: with a report id, for that report's row; with null, for any (a
    /// campaign's members). The writer keeps its group's new rows back until their first score is known, and writes them
    /// here when they are asked for sooner.
    /// </summary>
    public Action<string?> BeforeReportsRead { get; set; } = _ => { };

    /// <param name="openReader">
    /// Opens a read connection to the same store, on which the key filter is filled in the background; null for none
    /// (every key is then looked up).
    /// </param>
    public SqliteCampaignStore(SqliteConnection connection, Func<SqliteConnection>? openReader = null, Action<string>? log = null)
    {
        _openReader = openReader;
        _connection = connection;
        _log = log ?? (_ => { });
        Statement Prepare(string sql)
        {
            var statement = new Statement(connection, sql);
            _all.Add(statement);
            return statement;
        }
        _getKey = Prepare("SELECT reports, reporters, campaign_id, first_report, last_report, last_reporter, reporter_set, spilled FROM campaign_keys WHERE k = ?1");
        _putKey = Prepare("""
            INSERT OR REPLACE INTO campaign_keys (k, reports, reporters, campaign_id, first_report, last_report, last_reporter, reporter_set, spilled)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
            """);
        _addSighting = Prepare("INSERT INTO key_sightings (k, report_id, reporter) VALUES (?1, ?2, ?3)");
        _getSighting = Prepare("SELECT k, report_id, reporter FROM key_sightings WHERE id = ?1");
        _hasSpilledReporter = Prepare("SELECT 1 FROM campaign_key_reporters WHERE kr = ?1");
        _spillReporter = Prepare("INSERT OR IGNORE INTO campaign_key_reporters (kr) VALUES (?1)");
        _setReporters = Prepare("""
            INSERT INTO campaign_keys (k, reports, reporters, reporter_set, spilled) VALUES (?1, 0, 0, ?2, ?3)
            ON CONFLICT (k) DO UPDATE SET reporter_set = ?2, spilled = ?3
            """);
        // The report, its reporter (in the row's own set while there is room) and the key's last report, in one write.
        // first_report stays the first report counted, also on a row made earlier by counting a reporter only.
        _count = Prepare("""
            INSERT INTO campaign_keys (k, reports, reporters, first_report, last_report, last_reporter, reporter_set, spilled)
            VALUES (?1, 1, ?2, ?3, ?3, ?4, ?5, ?6)
            ON CONFLICT (k) DO UPDATE SET reports = reports + 1, reporters = reporters + ?2, first_report = coalesce(first_report, ?3),
                last_report = ?3, last_reporter = ?4, reporter_set = ?5, spilled = ?6
            """);
        _setKeyCampaign = Prepare("UPDATE campaign_keys SET campaign_id = ?2 WHERE k = ?1");
        _getSubject = Prepare("""
            SELECT total(reports), total(reporters), total(age_known), total(new_reporters), total(attendance_known), total(attended)
            FROM subject_days WHERE subject = ?1 AND day BETWEEN ?2 AND ?3
            """);
        _addToSubject = Prepare("""
            INSERT INTO subject_days (subject, day, reports, reporters, age_known, new_reporters, attendance_known, attended)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
            ON CONFLICT (subject, day) DO UPDATE SET reports = reports + ?3, reporters = reporters + ?4, age_known = age_known + ?5,
                new_reporters = new_reporters + ?6, attendance_known = attendance_known + ?7, attended = attended + ?8
            """);
        _getObserved = Prepare("SELECT observed_json FROM reports WHERE report_id = ?1");
        _campaignOf = Prepare("SELECT campaign_id FROM reports WHERE report_id = ?1");
        _setCampaign = Prepare("UPDATE reports SET campaign_id = ?2 WHERE report_id = ?1");
        _getCampaign = Prepare("SELECT created_at, reports, reporters, merged_into, rescored_at_size, links_json FROM campaigns WHERE campaign_id = ?1");
        _saveCampaign = Prepare("""
            INSERT INTO campaigns (campaign_id, created_at, reports, reporters, merged_into, rescored_at_size, links_json)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (campaign_id) DO UPDATE SET reports = ?3, reporters = ?4, merged_into = ?5, rescored_at_size = ?6, links_json = ?7
            """);
        _membersOf = Prepare("SELECT report_id FROM reports WHERE campaign_id = ?1 ORDER BY seq DESC LIMIT ?2");
        _moveMembers = Prepare("UPDATE reports SET campaign_id = ?2 WHERE campaign_id = ?1");
        _lastSeq = Prepare("SELECT max(seq) FROM reports");
        _addLink = Prepare("INSERT INTO campaign_links (campaign_id, report_id, linked_report_id, kind, detail) VALUES (?1, ?2, ?3, ?4, ?5)");
        _numberSubject = Prepare("INSERT INTO subject_ordinals (ordinal, subject) VALUES (?1, ?2)");
        _sightings = LoadSightings(connection);
        LoadSubjectNumbers();
    }

    /// <summary>Reads every subject's number (at start, and after a rollback may have taken some back).</summary>
    private void LoadSubjectNumbers()
    {
        _subjectNumbersStale = true;
        var last = Convert.ToInt32(SqliteSchema.Scalar(_connection, "SELECT coalesce(max(ordinal), 0) FROM subject_ordinals"));
        var numbers = new KeySightings(last);
        using (var cmd = _connection.CreateCommand())
        {
            cmd.CommandText = "SELECT ordinal, subject FROM subject_ordinals";
            using var r = cmd.ExecuteReader();
            while (r.Read()) numbers.Add(r.GetInt64(1), r.GetInt64(0));
        }
        (_subjectNumbers, _lastSubjectNumber, _subjectNumbersStale) = (numbers, last, false);
    }

    /// <summary>
    /// Subjects are numbered 1, 2, … in the order they are first recorded, and the number is the high half of their keys:
    /// a new subject's keys are written next to the other recent subjects' (the end of the numbered range of campaign_keys),
    /// where the pages are in the cache and already being written, instead of each on a random page of the table. A subject
    /// never recorded gets 0, under which nothing is stored. Two subjects whose hashes share their low 32 bits share a
    /// number, before and after a restart alike: harmless, the number only places keys, and their keys still differ in the
    /// low half, which hashes the subject itself.
    /// </summary>
    public long SubjectPrefix(string subject, bool assign)
    {
        if (_subjectNumbersStale) LoadSubjectNumbers();
        var hash = CampaignEngine.Key("subject", subject);
        _subjectNumbers.Candidates(hash, _numberCandidates);
        if (_numberCandidates.Count > 0) return _numberCandidates[0] << 32;
        if (!assign) return 0;
        var number = _lastSubjectNumber + 1;
        _numberSubject.Bind(1, number).Bind(2, hash).Execute();
        _subjectNumbers.Add(hash, number);
        _lastSubjectNumber = number;
        return (long)number << 32;
    }

    /// <summary>The index of key_sightings, read whole at start (the writer cannot answer a key without it).</summary>
    private KeySightings LoadSightings(SqliteConnection connection)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Sized from the last id, not count(*), which would read the whole table once more: rows are only ever appended
        // (a rebuild empties the table), so the ids are dense.
        var sightings = new KeySightings(Convert.ToInt32(SqliteSchema.Scalar(connection, "SELECT coalesce(max(id), 0) FROM key_sightings")));
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = "SELECT id, k FROM key_sightings";
            using var r = cmd.ExecuteReader();
            while (r.Read()) sightings.Add(r.GetInt64(1), r.GetInt64(0));
        }
        if (sightings.Count > 100_000)
            _log($"Key sightings indexed: {sightings.Count:N0} first sightings of devices and files, {sightings.Bytes / (1024 * 1024):N0} MB, in {watch.Elapsed.TotalSeconds:N1} s.");
        return sightings;
    }

    /// <summary>Forgets cached reads after a rollback: they may describe reports that no longer exist.</summary>
    public void RolledBack()
    {
        _observedCache.Clear();
        _keyCache.Clear();
        // Numbers given in what was rolled back are gone from the table; read them again (or, if the store cannot be read
        // now, at the next use: a failing read then fails that report, not the writer).
        try { LoadSubjectNumbers(); }
        catch (Exception e) when (e is SqliteException or IOException) { }
        // The sightings index may still name rows taken back: harmless, every candidate is read and checked.
    }

    /// <summary>After the campaign tables were emptied (a rebuild): nothing cached or indexed describes them any more.</summary>
    public void Emptied()
    {
        RolledBack();
        _sightings = new KeySightings();
    }

    /// <summary>
    /// Called by the writer between its transactions (none open): starts filling a key filter when there is none or the one
    /// in use is over capacity, and puts a filled one to use. Between transactions, so that every key written before the
    /// filling starts is committed (and so in every snapshot it reads), and every key written after is added by the writer.
    /// </summary>
    public void BetweenTransactions()
    {
        if (_openReader is null) return;
        if (_filling is { } filling)
        {
            if (filling.Complete)
            {
                _filter = filling;
                _filling = null;
                _fillTask = null;
                _log($"Campaign key filter ready: {filling.Added:N0} keys, sized for {filling.Capacity:N0}.");
            }
            else if (_fillTask is { IsFaulted: true } failed)
            {
                _log($"The campaign key filter could not be filled; every key is looked up until it is: {failed.Exception!.GetBaseException().Message}");
                _filling = null;
                _fillTask = null;
                _fillFailedAt = DateTime.UtcNow;
            }
            return;
        }
        if (_filter is { } inUse && inUse.Added <= 2 * inUse.Capacity) return;
        if (DateTime.UtcNow - _fillFailedAt < TimeSpan.FromMinutes(1)) return;
        var estimate = _filter?.Added ?? EstimatedKeys();
        var next = new CampaignKeyFilter(Math.Min(MaxFilterKeys, Math.Max(MinFilterKeys, 2 * estimate)));
        _filling = next;
        var open = _openReader;
        var cancel = _stopping.Token;
        _fillTask = Task.Run(() =>
        {
            using var reader = open();
            next.FillFrom(reader, cancel);
        }, cancel);
    }

    /// <summary>Whether a filled key filter answers lookups of keys that are not stored.</summary>
    internal bool KeyFilterInUse => _filter is not null;

    private const long MinFilterKeys = 4_000_000, MaxFilterKeys = 64_000_000;

    /// <summary>
    /// About 4.3 keys per report were stored before schema 4, ~3.2 since (devices and files seen once are sightings; measured);
    /// read from the last report's number, not by counting the keys.
    /// </summary>
    private long EstimatedKeys()
    {
        var q = _lastSeq;
        try { return q.Read() ? 5 * q.Long(0) : 0; }
        finally { q.Reset(); }
    }

    /// <summary>A key the store now holds (or will, once committed): the filters must never say it is absent.</summary>
    private void Stored(long key)
    {
        _filter?.Add(key);
        _filling?.Add(key);
    }

    public KeyStats GetKey(long key) => Row(key).Stats;

    private KeyRow Row(long key)
    {
        if (_keyCache.TryGetValue(key, out var cached)) return cached;
        var row = new KeyRow();
        // A key the filter rules out is not cached: most are stored once and never looked up again. Cached, their rows
        // lived for seconds, until the cache was cleared, so every collection in between copied them; the collector's
        // pauses were 3-4 times longer (measured). Once written, the key is in the filter, so its next lookup reads the
        // stored row.
        if (_filter is { } filter && !filter.MayContain(key)) return Sighting(key, row) ? Cached(key, row) : row;
        var q = _getKey.Bind(1, key);
        var found = false;
        try
        {
            if (q.Read())
            {
                found = true;
                row.Stats = new KeyStats((int)q.Long(0), (int)q.Long(1), q.Text(2), q.Text(3), q.Text(4), q.Text(5));
                if (q.Blob(6) is { Length: > 0 } set) row.Reporters = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(set).ToArray();
                row.Spilled = q.Long(7) != 0;
            }
        }
        finally { q.Reset(); }
        if (!found) Sighting(key, row);
        return Cached(key, row);
    }

    private KeyRow Cached(long key, KeyRow row)
    {
        if (_keyCache.Count >= KeyCacheLimit) _keyCache.Clear();
        _keyCache[key] = row;
        return row;
    }

    /// <summary>Fills <paramref name="row"/> from the key's first sighting, if it has one; whether it had.</summary>
    private bool Sighting(long key, KeyRow row)
    {
        _sightings.Candidates(key, _candidates);
        foreach (var id in _candidates)
        {
            var q = _getSighting.Bind(1, id);
            try
            {
                if (!q.Read() || q.Long(0) != key) continue;
                SeenOnce(row, key, q.Text(1)!, q.Text(2)!);
                return true;
            }
            finally { q.Reset(); }
        }
        return false;
    }

    /// <summary>A key as its first sighting describes it: one report, its reporter.</summary>
    private static void SeenOnce(KeyRow row, long key, string reportId, string reporter)
    {
        row.Stats = new KeyStats(1, 1, null, reportId, reportId, reporter);
        row.Reporters = [ReporterKey(key, reporter)];
        row.Sighted = true;
    }

    /// <summary>Writes a key's whole row to campaign_keys: a sighting seen again, or given a campaign, becomes a row.</summary>
    private void Put(long key, KeyRow row)
    {
        var s = row.Stats;
        _putKey.Bind(1, key).Bind(2, s.Reports).Bind(3, s.Reporters).Bind(4, s.CampaignId).Bind(5, s.FirstReportId).Bind(6, s.LastReportId)
            .Bind(7, s.LastReporter).Bind(8, ReporterBytes(row)).Bind(9, row.Spilled ? 1 : 0).Execute();
        row.Sighted = false;
        Stored(key);
    }

    public KeyStats CountScattered(long key, string reportId, string reporter, out bool newReporter)
    {
        var row = Row(key);
        if (row.Stats.Reports == 0 && row.Reporters.Length == 0 && !row.Spilled)
        {
            // First seen: a few bytes at the end of key_sightings, not a page of its own in campaign_keys.
            _addSighting.Bind(1, key).Bind(2, reportId).Bind(3, reporter).Execute();
            _sightings.Add(key, Statement.LastInsertRowId(_connection));
            newReporter = true;
            SeenOnce(row, key, reportId, reporter);
            return KeyStats.Empty;
        }
        if (!row.Sighted) return Count(key, reportId, reporter, out newReporter);
        // Seen again: from now on the key is a campaign_keys row like any other (the sighting stays, unread).
        var before = row.Stats;
        newReporter = NoteReporter(row, key, reporter, out _);
        row.Stats = before with { Reports = before.Reports + 1, Reporters = before.Reporters + (newReporter ? 1 : 0), LastReportId = reportId, LastReporter = reporter };
        Put(key, row);
        return before;
    }

    public bool HasReporter(long key, string reporter)
    {
        var row = Row(key);
        var hash = ReporterKey(key, reporter);
        if (Array.IndexOf(row.Reporters, hash) >= 0) return true;
        if (!row.Spilled) return false;
        var q = _hasSpilledReporter.Bind(1, hash);
        try { return q.Read(); }
        finally { q.Reset(); }
    }

    public bool AddReporter(long key, string reporter)
    {
        var row = Row(key);
        if (!NoteReporter(row, key, reporter, out var rowChanged)) return false;
        if (row.Sighted) Put(key, row);
        else if (rowChanged)
        {
            _setReporters.Bind(1, key).Bind(2, ReporterBytes(row)).Bind(3, row.Spilled ? 1 : 0).Execute();
            Stored(key);
        }
        return true;
    }

    public KeyStats Count(long key, string reportId, string reporter, out bool newReporter)
    {
        var row = Row(key);
        if (row.Sighted) return CountScattered(key, reportId, reporter, out newReporter);
        var before = row.Stats;
        newReporter = NoteReporter(row, key, reporter, out _);
        _count.Bind(1, key).Bind(2, newReporter ? 1 : 0).Bind(3, reportId).Bind(4, reporter).Bind(5, ReporterBytes(row)).Bind(6, row.Spilled ? 1 : 0).Execute();
        if (before.Reports == 0) Stored(key);
        row.Stats = before.Reports == 0
            ? new KeyStats(1, before.Reporters + (newReporter ? 1 : 0), before.CampaignId, before.FirstReportId ?? reportId, reportId, reporter)
            : before with { Reports = before.Reports + 1, Reporters = before.Reporters + (newReporter ? 1 : 0), LastReportId = reportId, LastReporter = reporter };
        return before;
    }

    /// <summary>
    /// Counts the reporter on the cached row: in its own set while there is room (the caller writes the row), else in the
    /// spill table (written here). False when the reporter was already counted.
    /// </summary>
    private bool NoteReporter(KeyRow row, long key, string reporter, out bool rowChanged)
    {
        rowChanged = false;
        var hash = ReporterKey(key, reporter);
        if (Array.IndexOf(row.Reporters, hash) >= 0) return false;
        // A row spills only once its own set is full, so while there is room nobody is in the spill table.
        if (row.Reporters.Length < InlineReporters)
        {
            row.Reporters = [.. row.Reporters, hash];
            rowChanged = true;
            return true;
        }
        rowChanged = !row.Spilled;
        row.Spilled = true;
        return _spillReporter.Bind(1, hash).Execute() == 1;
    }

    private static ReadOnlySpan<byte> ReporterBytes(KeyRow row) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.Reporters.AsSpan());

    public void SetKeyCampaign(long key, string campaignId)
    {
        if (Row(key) is { Sighted: true } sighted)
        {
            sighted.Stats = sighted.Stats with { CampaignId = campaignId };
            Put(key, sighted);
            return;
        }
        _setKeyCampaign.Bind(1, key).Bind(2, campaignId).Execute();
        if (_keyCache.TryGetValue(key, out var cached)) cached.Stats = cached.Stats with { CampaignId = campaignId };
    }

    public SubjectCounts GetSubjectCounts(long subject, long fromDay, long toDay)
    {
        var q = _getSubject.Bind(1, subject).Bind(2, fromDay).Bind(3, toDay);
        try
        {
            q.Read();
            return new SubjectCounts((int)q.Double(0), (int)q.Double(1), (int)q.Double(2), (int)q.Double(3), (int)q.Double(4), (int)q.Double(5));
        }
        finally { q.Reset(); }
    }

    public void AddToSubject(long subject, long day, SubjectCounts d) =>
        _addToSubject.Bind(1, subject).Bind(2, day).Bind(3, d.Reports).Bind(4, d.Reporters).Bind(5, d.AgeKnown).Bind(6, d.NewReporters)
            .Bind(7, d.AttendanceKnown).Bind(8, d.Attended).Execute();

    public ObservedReport? GetObserved(string reportId)
    {
        if (_observedCache.TryGetValue(reportId, out var cached)) return cached;
        BeforeReportsRead(reportId);
        var json = ReadText(_getObserved.Bind(1, reportId));
        if (json is null) return null;
        var o = JsonConvert.DeserializeObject<ObservedReport>(json, StoredJson.Settings)!;
        if (_observedCache.Count >= ObservedCacheLimit) _observedCache.Clear();
        _observedCache[reportId] = o;
        return o;
    }

    public string? CampaignOf(string reportId)
    {
        BeforeReportsRead(reportId);
        return ReadText(_campaignOf.Bind(1, reportId));
    }

    public void SetCampaign(string reportId, string campaignId)
    {
        BeforeReportsRead(reportId);
        _setCampaign.Bind(1, reportId).Bind(2, campaignId).Execute();
    }

    public CampaignRecord? GetCampaign(string campaignId)
    {
        var q = _getCampaign.Bind(1, campaignId);
        try
        {
            if (!q.Read()) return null;
            return new CampaignRecord
            {
                CampaignId = campaignId, CreatedAt = DateTimeOffset.Parse(q.Text(0)!, System.Globalization.CultureInfo.InvariantCulture),
                Reports = (int)q.Long(1), Reporters = (int)q.Long(2), MergedInto = q.Text(3), RescoredAtSize = (int)q.Long(4),
                Links = JsonConvert.DeserializeObject<Dictionary<string, int>>(q.Text(5)!) ?? [],
            };
        }
        finally { q.Reset(); }
    }

    public void SaveCampaign(CampaignRecord c) =>
        _saveCampaign.Bind(1, c.CampaignId).Bind(2, c.CreatedAt.ToString("O")).Bind(3, c.Reports).Bind(4, c.Reporters).Bind(5, c.MergedInto)
            .Bind(6, c.RescoredAtSize).Bind(7, JsonConvert.SerializeObject(c.Links)).Execute();

    public IReadOnlyList<string> MembersOf(string campaignId, int max)
    {
        BeforeReportsRead(null);
        var q = _membersOf.Bind(1, campaignId).Bind(2, max);
        var ids = new List<string>();
        try { while (q.Read()) ids.Add(q.Text(0)!); }
        finally { q.Reset(); }
        return ids;
    }

    public void MoveMembers(string from, string to)
    {
        BeforeReportsRead(null);
        _moveMembers.Bind(1, from).Bind(2, to).Execute();
    }

    public void AddLink(CampaignLink link) =>
        _addLink.Bind(1, link.CampaignId).Bind(2, link.ReportId).Bind(3, link.LinkedReportId).Bind(4, link.Kind).Bind(5, link.Detail).Execute();

    /// <summary>The hash of (key, reporter): what a key's reporter set holds, inline or spilled.</summary>
    private static long ReporterKey(long key, string reporter) => StableHash.AsKey(StableHash.Add(StableHash.Add(14695981039346656037UL, (ulong)key), reporter));

    /// <summary>The first column of the first row, or null.</summary>
    private static string? ReadText(Statement q)
    {
        try { return q.Read() ? q.Text(0) : null; }
        finally { q.Reset(); }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        try { _fillTask?.Wait(); }
        catch (AggregateException) { /* cancelled or failed: nothing to keep */ }
        _stopping.Dispose();
        foreach (var statement in _all) statement.Dispose();
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

    /// <summary>A value as the store keeps it (<see cref="Settings"/>), UTF-8.</summary>
    public static byte[] SerializeUtf8(object value) => ToUtf8(value);

    [ThreadStatic] private static System.Buffers.ArrayBufferWriter<byte>? _observedBuffer;
    [ThreadStatic] private static System.Text.Json.Utf8JsonWriter? _observedWriter;

    /// <summary>
    /// An observation as the store keeps it, written directly (one per report, on the request threads; Json.NET took
    /// ~1 KB of garbage for each): the fields Json.NET writes with <see cref="Settings"/>, camelCase, nulls left out, which
    /// is how it reads them back. The computed <c>reporterKey</c> and <c>day</c>, which it wrote and ignored on reading,
    /// are left out. Text that is not valid UTF-16 (half a surrogate pair in a device id) is left to Json.NET, which writes it
    /// as it always has.
    /// </summary>
    public static byte[] SerializeUtf8(ObservedReport o)
    {
        try { return WriteObserved(o); }
        catch (ArgumentException) { return ToUtf8(o); }
    }

    private static byte[] WriteObserved(ObservedReport o)
    {
        var buffer = _observedBuffer ??= new System.Buffers.ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var w = _observedWriter ??= new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
        w.Reset(buffer);
        w.WriteStartObject();
        w.WriteString("reportId", o.ReportId);
        w.WriteString("receivedAt", o.ReceivedAt);
        if (o.Subject is { } subject) w.WriteString("subject", subject);
        if (o.ReporterId is { } reporter) w.WriteString("reporterId", reporter);
        if (o.ReporterCreatedAt is { } created) w.WriteString("reporterCreatedAt", created);
        if (o.ReporterNew is { } isNew) w.WriteBoolean("reporterNew", isNew);
        if (o.ReporterAttended is { } attended) w.WriteBoolean("reporterAttended", attended);
        if (o.SessionNetwork is { } session) w.WriteString("sessionNetwork", session);
        if (o.SignupNetwork is { } signup) w.WriteString("signupNetwork", signup);
        w.WriteStartArray("devices");
        foreach (var d in o.Devices) w.WriteStringValue(d);
        w.WriteEndArray();
        w.WriteStartArray("files");
        foreach (var f in o.Files) w.WriteStringValue(f);
        w.WriteEndArray();
        if (o.TextSignature is { } text) w.WriteString("textSignature", text);
        w.WriteEndObject();
        w.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>A reusable UTF-8 text writer over a growable buffer, one per thread.</summary>
    private sealed class Utf8Output
    {
        public readonly MemoryStream Bytes = new(16 * 1024);
        public readonly StreamWriter Text;
        public Utf8Output() => Text = new StreamWriter(Bytes, Utf8, 4096, leaveOpen: true);
    }

    [ThreadStatic] private static Utf8Output? _output;

    /// <summary>
    /// Json.NET's output encoded as it is written: the same bytes as <c>Encoding.UTF8.GetBytes</c> of the string it would
    /// have made (a lone surrogate becomes U+FFFD in both), without the string and the builder behind it.
    /// </summary>
    private static byte[] ToUtf8(object value)
    {
        var output = _output ??= new Utf8Output();
        output.Bytes.SetLength(0);
        try
        {
            Serializer.Serialize(output.Text, value);
            output.Text.Flush();
        }
        catch
        {
            // Half a value may still sit in the writer's buffer: the next call starts with a new one.
            _output = null;
            throw;
        }
        return output.Bytes.ToArray();
    }

    public static T Deserialize<T>(string json) => JsonConvert.DeserializeObject<T>(json, Settings)!;
}
