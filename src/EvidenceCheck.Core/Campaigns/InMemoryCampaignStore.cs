namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// <see cref="ICampaignStore"/> in memory: the command line's view of the reports of the file it reads.
/// Same counters as the SQLite store, so the same reports in the same order give the same answers.
/// </summary>
public sealed class InMemoryCampaignStore : ICampaignStore
{
    private sealed class KeyRecord
    {
        public int Reports, Reporters;
        public string? CampaignId, FirstReportId, LastReportId, LastReporter;
    }

    private readonly Dictionary<long, KeyRecord> _keys = [];
    private readonly HashSet<(long, string)> _keyReporters = [];
    private readonly Dictionary<(long Subject, long Day), SubjectCounts> _subjectDays = [];
    private readonly Dictionary<string, ObservedReport> _observed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _campaignOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CampaignRecord> _campaigns = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _members = new(StringComparer.Ordinal);
    private readonly List<CampaignLink> _links = [];
    private readonly Dictionary<string, long> _arrival = new(StringComparer.Ordinal);

    public IReadOnlyList<CampaignLink> Links => _links;

    /// <summary>Remembers a report so that later ones can be compared with it; call before <see cref="CampaignEngine.Record"/>.</summary>
    public bool AddObserved(ObservedReport o)
    {
        if (!_observed.TryAdd(o.ReportId, o)) return false;
        _arrival[o.ReportId] = _arrival.Count;
        return true;
    }

    public KeyStats GetKey(long key) =>
        _keys.TryGetValue(key, out var k) ? new KeyStats(k.Reports, k.Reporters, k.CampaignId, k.FirstReportId, k.LastReportId, k.LastReporter) : KeyStats.Empty;

    public bool HasReporter(long key, string reporter) => _keyReporters.Contains((key, reporter));

    public bool AddReporter(long key, string reporter) => _keyReporters.Add((key, reporter));

    public KeyStats Count(long key, string reportId, string reporter, out bool newReporter)
    {
        newReporter = AddReporter(key, reporter);
        if (!_keys.TryGetValue(key, out var k)) _keys[key] = k = new KeyRecord { FirstReportId = reportId };
        var before = k.Reports == 0 ? KeyStats.Empty : new KeyStats(k.Reports, k.Reporters, k.CampaignId, k.FirstReportId, k.LastReportId, k.LastReporter);
        k.Reports++;
        if (newReporter) k.Reporters++;
        k.LastReportId = reportId;
        k.LastReporter = reporter;
        return before;
    }

    public void SetKeyCampaign(long key, string campaignId)
    {
        if (_keys.TryGetValue(key, out var k)) k.CampaignId = campaignId;
    }

    public SubjectCounts GetSubjectCounts(long subject, long fromDay, long toDay)
    {
        var sum = default(SubjectCounts);
        for (var d = fromDay; d <= toDay; d++)
            if (_subjectDays.TryGetValue((subject, d), out var c)) sum += c;
        return sum;
    }

    public void AddToSubject(long subject, long day, SubjectCounts delta) =>
        _subjectDays[(subject, day)] = _subjectDays.GetValueOrDefault((subject, day)) + delta;

    public ObservedReport? GetObserved(string reportId) => _observed.GetValueOrDefault(reportId);

    public string? CampaignOf(string reportId) => _campaignOf.GetValueOrDefault(reportId);

    public void SetCampaign(string reportId, string campaignId)
    {
        if (_campaignOf.TryGetValue(reportId, out var old) && _members.TryGetValue(old, out var oldMembers)) oldMembers.Remove(reportId);
        _campaignOf[reportId] = campaignId;
        if (!_members.TryGetValue(campaignId, out var members)) _members[campaignId] = members = [];
        members.Add(reportId);
    }

    public CampaignRecord? GetCampaign(string campaignId) => _campaigns.GetValueOrDefault(campaignId);

    public void SaveCampaign(CampaignRecord campaign) => _campaigns[campaign.CampaignId] = campaign;

    public IReadOnlyList<string> MembersOf(string campaignId, int max)
    {
        if (!_members.TryGetValue(campaignId, out var members)) return [];
        var result = new List<string>(Math.Min(max, members.Count));
        for (var i = members.Count - 1; i >= 0 && result.Count < max; i--) result.Add(members[i]);
        return result;
    }

    public void MoveMembers(string from, string to)
    {
        if (!_members.Remove(from, out var moving)) return;
        if (!_members.TryGetValue(to, out var target)) _members[to] = target = [];
        foreach (var id in moving) _campaignOf[id] = to;
        // Members stay in arrival order, as the SQLite store keeps them, so "most recent first" means the same.
        target.AddRange(moving);
        target.Sort((a, b) => _arrival[a].CompareTo(_arrival[b]));
    }

    public void AddLink(CampaignLink link) => _links.Add(link);
}
