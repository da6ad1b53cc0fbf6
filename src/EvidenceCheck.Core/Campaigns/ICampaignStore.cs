namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// "What has been seen", as the campaign logic needs it: pre-aggregated counters, never a scan.
/// Two implementations: SQLite in the service (EvidenceCheck.Storage) and memory for a file scored
/// by the command line (<see cref="InMemoryCampaignStore"/>). <see cref="CampaignEngine"/> holds all
/// the logic, so both give the same answers for the same reports in the same order.
/// Keys are <see cref="StableHash"/> values of a kind and a value (a network range on a subject, a
/// device, a file hash, a signup-day cohort). Report texts are not kept here: see <see cref="TextBandIndex"/>.
/// </summary>
public interface ICampaignStore
{
    /// <summary>
    /// The high 32 bits of every key about <paramref name="subject"/> (its reporters, network ranges, signup cohorts), which
    /// make them neighbours in a store ordered by key. A store on disk may number subjects in the order they are first
    /// recorded, so that a new subject's keys go where the other recent subjects' are instead of on a page of their own
    /// anywhere in the table. <paramref name="assign"/>: the subject is being recorded and may be numbered now; otherwise a
    /// subject never recorded gets a prefix under which nothing is stored. Default: the subject's hash.
    /// </summary>
    long SubjectPrefix(string subject, bool assign) => CampaignEngine.SubjectHashPrefix(subject);

    /// <summary>Counters of one key; <see cref="KeyStats.Empty"/> when never seen.</summary>
    KeyStats GetKey(long key);

    /// <summary>Whether the reporter has already been counted on the key.</summary>
    bool HasReporter(long key, string reporter);

    /// <summary>
    /// Counts one more report on the key and its reporter among the key's reporters (a new reporter is counted once),
    /// remembering the report as the key's last; returns the key as it was BEFORE, and whether the reporter was new.
    /// One read and one write of the key, whatever the store.
    /// </summary>
    KeyStats Count(long key, string reportId, string reporter, out bool newReporter);

    /// <summary>
    /// <see cref="Count"/> for a key that belongs to no subject (a device, a file). Most such keys are seen once, and
    /// their rows would each land on a page of their own; a store may keep a key's first sighting apart, where it
    /// costs no page of its own, until the key is seen again. Same answers as <see cref="Count"/>.
    /// </summary>
    KeyStats CountScattered(long key, string reportId, string reporter, out bool newReporter) => Count(key, reportId, reporter, out newReporter);

    /// <summary>Marks the reporter as counted on the key; false when it already was.</summary>
    bool AddReporter(long key, string reporter);

    void SetKeyCampaign(long key, string campaignId);

    /// <summary>Sums of a subject's per-day counters over days <paramref name="fromDay"/>..<paramref name="toDay"/> (days since 1970-01-01 UTC).</summary>
    SubjectCounts GetSubjectCounts(long subject, long fromDay, long toDay);

    void AddToSubject(long subject, long day, SubjectCounts delta);

    /// <summary>A report recorded earlier, or null.</summary>
    ObservedReport? GetObserved(string reportId);

    /// <summary>The campaign id recorded for a report (possibly merged since: resolve it with <see cref="GetCampaign"/>).</summary>
    string? CampaignOf(string reportId);

    void SetCampaign(string reportId, string campaignId);

    CampaignRecord? GetCampaign(string campaignId);

    void SaveCampaign(CampaignRecord campaign);

    /// <summary>Members of a campaign, most recent first, at most <paramref name="max"/>.</summary>
    IReadOnlyList<string> MembersOf(string campaignId, int max);

    /// <summary>Moves every member of <paramref name="from"/> to <paramref name="to"/> (campaigns merging).</summary>
    void MoveMembers(string from, string to);

    /// <summary>Records why two reports are linked (a reviewer reads these).</summary>
    void AddLink(CampaignLink link);
}

/// <param name="Reports">Reports seen with this key.</param>
/// <param name="Reporters">Distinct reporters seen with this key.</param>
/// <param name="CampaignId">The campaign the key's reports were joined into, if any.</param>
public readonly record struct KeyStats(int Reports, int Reporters, string? CampaignId, string? FirstReportId, string? LastReportId, string? LastReporter)
{
    public static readonly KeyStats Empty = new(0, 0, null, null, null, null);
}

/// <summary>Per-subject counters. Reporter-level counts include a reporter once, at their first report on the subject.</summary>
public readonly record struct SubjectCounts(int Reports, int Reporters, int AgeKnown, int NewReporters, int AttendanceKnown, int Attended)
{
    public static SubjectCounts operator +(SubjectCounts a, SubjectCounts b) =>
        new(a.Reports + b.Reports, a.Reporters + b.Reporters, a.AgeKnown + b.AgeKnown, a.NewReporters + b.NewReporters,
            a.AttendanceKnown + b.AttendanceKnown, a.Attended + b.Attended);
}

/// <summary>A group of reports joined by strong links. Its id is derived from its first member's report id, so it is stable.</summary>
public sealed class CampaignRecord
{
    public string CampaignId { get; set; } = "";
    /// <summary>Received time of the first member.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public int Reports { get; set; }
    public int Reporters { get; set; }
    /// <summary>Set when this campaign was merged into another; follow it.</summary>
    public string? MergedInto { get; set; }
    /// <summary>Size at which the members were last re-scored.</summary>
    public int RescoredAtSize { get; set; }
    /// <summary>How many links of each kind joined it (sharedNetwork, sharedDevice, sharedFiles, nearDuplicateText, sharedSignupNetwork).</summary>
    public Dictionary<string, int> Links { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Why <paramref name="ReportId"/> joined: it shares <paramref name="Kind"/> with <paramref name="LinkedReportId"/>.</summary>
public sealed record CampaignLink(string CampaignId, string ReportId, string LinkedReportId, string Kind, string Detail);
