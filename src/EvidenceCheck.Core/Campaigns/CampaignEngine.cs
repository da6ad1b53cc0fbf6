using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Core.Campaigns;

/// <summary>The outcome of recording one report: its campaign context and the earlier members to re-score.</summary>
/// <param name="Context">What to pass to <c>ReportScorer.Score(report, context)</c>.</param>
/// <param name="Rescore">Earlier members of the campaign this report joined whose scores are now stale, most recent first.</param>
public sealed record CampaignObservation(CampaignContext Context, IReadOnlyList<string> Rescore);

/// <summary>
/// The campaign logic, over any <see cref="ICampaignStore"/>: the cross-report facts of one report
/// (<see cref="Context"/>), and recording a new report (<see cref="Record"/>): counters, strong links,
/// and the union of linked reports into campaigns with stable ids. Not thread-safe: one writer.
/// Each report costs a fixed number of key lookups (about 10), whatever the subject's size; report texts are
/// compared through an in-memory index of the most recent reports (<see cref="Text"/>).
/// </summary>
public sealed class CampaignEngine(ICampaignStore store, ScoringOptions scoring, CampaignOptions options)
{
    // Link kinds, as they appear in CampaignSummary.links.
    public const string SharedNetwork = "sharedNetwork", SharedSignupNetwork = "sharedSignupNetwork", SharedDevice = "sharedDevice",
        SharedFiles = "sharedFiles", NearDuplicateText = "nearDuplicateText";

    public ScoringOptions Scoring { get; } = scoring;
    public CampaignOptions Options { get; } = options;

    /// <summary>Near-duplicate text among the most recent reports (<see cref="CampaignOptions.TextIndexReports"/>), kept in memory.</summary>
    public TextBandIndex Text { get; } = new(options.TextIndexReports);

    /// <summary>
    /// Puts a report recorded earlier back into the text index (a store that restarts replays its most
    /// recent reports, oldest first), from its stored <see cref="ObservedReport.TextSignature"/>. Counters kept
    /// by the store are not touched.
    /// </summary>
    public void RememberText(string reportId, string textSignature) => Text.Add(BandKeys(TextSignature.Decode(textSignature)), reportId);

    public ObservedReport Observe(Report report, IReadOnlyList<Evidence.EvidenceFacts>? evidence = null) =>
        ObservedReport.From(report, Scoring, Options, evidence);

    /// <summary>
    /// The cross-report facts of a report already recorded (re-scoring an earlier member): everything known now,
    /// before and after it, with its own contribution left out of the "other" counts. Read-only.
    /// </summary>
    public CampaignContext Context(ObservedReport o, bool recorded = true)
    {
        var ctx = NewContext();
        var reporter = o.ReporterKey;
        if (o.Subject is { } subject)
        {
            var keys = new SubjectKeys(store.SubjectPrefix(subject, assign: false), subject);
            var selfCounted = store.HasReporter(keys.Reporters, reporter);
            var totals = store.GetSubjectCounts(Key("subject", subject), o.Day - Options.WindowDays, o.Day + Options.WindowDays);
            if (!recorded || !selfCounted) totals += SelfCounts(o, firstOnSubject: !selfCounted);
            FillSubject(ctx, totals);
            if (o.SessionNetwork is { } net) ctx.ReportersSharingNetwork = Others(keys.Net(net), reporter);
            if (o.SignupNetwork is { } signup) ctx.ReportersSharingSignupNetwork = Others(keys.Signup(signup), reporter);
            if (o.ReporterCreatedAt is { } created)
            {
                ctx.ReporterCreatedKnown = true;
                var day = DayOf(created);
                for (var d = day - Options.SignupCohortDays; d <= day + Options.SignupCohortDays; d++)
                    ctx.ReportersInSignupCohort += Others(keys.Cohort(d), reporter);
            }
        }
        foreach (var device in o.Devices)
            ctx.ReportersSharingDevice = Math.Max(ctx.ReportersSharingDevice, Others(Key("device", device), reporter));
        ctx.HasFiles = o.Files.Count > 0;
        foreach (var file in o.Files)
            ctx.ReportsSharingFiles = Math.Max(ctx.ReportsSharingFiles, Others(Key("file", file), reporter));
        if (o.TextSignature is { } encoded)
        {
            var signature = TextSignature.Decode(encoded);
            var keys = BandKeys(signature);
            var bands = new KeyStats[keys.Length];
            var selfCounted = recorded && Text.Contains(o.ReportId);
            for (var b = 0; b < bands.Length; b++)
            {
                var stats = Text.Get(keys[b]);
                bands[b] = selfCounted && stats.Reports > 0 ? stats with { Reports = stats.Reports - 1 } : stats;
            }
            FillText(ctx, o, signature, bands);
        }
        if (store.CampaignOf(o.ReportId) is { } campaignId && Resolve(campaignId) is { } campaign)
            ctx.Campaign = Summary(campaign);
        return ctx;
    }

    /// <summary>
    /// Records a new report: returns its context (as of the reports before it, plus the campaign it joins)
    /// and the earlier members whose scores the join made stale. Gives the same context <see cref="Context"/>
    /// would have given just before, but reads and writes each key in one round trip. Recording the same
    /// report id twice is the caller's bug: stores refuse it before calling here.
    /// </summary>
    public CampaignObservation Record(ObservedReport o)
    {
        var ctx = NewContext();
        var reporter = o.ReporterKey;
        var links = new List<(string Kind, string? CampaignId, string? ReportId)>();
        var linkKeys = new List<long>();

        // Counts this report on a linking key; returns how many other reporters were on it, and notes the link.
        // A device or a file belongs to no subject (scattered), a network range on a subject does.
        int LinkKey(long key, string kind, bool scattered = false)
        {
            var before = scattered
                ? store.CountScattered(key, o.ReportId, reporter, out var newReporter)
                : store.Count(key, o.ReportId, reporter, out newReporter);
            linkKeys.Add(key);
            var others = before.Reporters - (newReporter ? 0 : 1);
            if (others <= 0) return 0;
            var linked = before.LastReporter != reporter ? before.LastReportId : before.FirstReportId;
            if (linked is not null && linked != o.ReportId) links.Add((kind, before.CampaignId, linked));
            return others;
        }

        if (o.Subject is { } subject)
        {
            var keys = new SubjectKeys(store.SubjectPrefix(subject, assign: true), subject);
            var firstOnSubject = store.AddReporter(keys.Reporters, reporter);
            var self = SelfCounts(o, firstOnSubject);
            var subjectKey = Key("subject", subject);
            FillSubject(ctx, store.GetSubjectCounts(subjectKey, o.Day - Options.WindowDays, o.Day + Options.WindowDays) + self);
            store.AddToSubject(subjectKey, o.Day, self);
            if (o.SessionNetwork is { } net) ctx.ReportersSharingNetwork = LinkKey(keys.Net(net), SharedNetwork);
            if (o.SignupNetwork is { } signup) ctx.ReportersSharingSignupNetwork = LinkKey(keys.Signup(signup), SharedSignupNetwork);
            if (o.ReporterCreatedAt is { } created)
            {
                // Cohorts are a supporting signal, not a link: honest accounts are created on the same day too.
                ctx.ReporterCreatedKnown = true;
                var day = DayOf(created);
                for (var d = day - Options.SignupCohortDays; d <= day + Options.SignupCohortDays; d++)
                {
                    if (d != day) { ctx.ReportersInSignupCohort += store.GetKey(keys.Cohort(d)).Reporters; continue; }
                    var cohort = keys.Cohort(d);
                    ctx.ReportersInSignupCohort += Math.Max(0, store.Count(cohort, o.ReportId, reporter, out var newReporter).Reporters - (newReporter ? 0 : 1));
                }
            }
        }
        foreach (var device in o.Devices)
            ctx.ReportersSharingDevice = Math.Max(ctx.ReportersSharingDevice, LinkKey(Key("device", device), SharedDevice, scattered: true));
        ctx.HasFiles = o.Files.Count > 0;
        foreach (var file in o.Files)
            ctx.ReportsSharingFiles = Math.Max(ctx.ReportsSharingFiles, LinkKey(Key("file", file), SharedFiles, scattered: true));
        if (o.TextSignature is { } encoded)
        {
            var signature = TextSignature.Decode(encoded);
            var bands = Text.Add(BandKeys(signature), o.ReportId);
            foreach (var (candidate, similarity, _) in FillText(ctx, o, signature, bands))
                if (similarity >= Options.NearDuplicateSimilarity) links.Add((NearDuplicateText, null, candidate));
        }

        IReadOnlyList<string> rescore = [];
        if (links.Count > 0)
        {
            var campaign = Join(o, links, linkKeys, out var merged);
            ctx.Campaign = Summary(campaign);
            if (merged || campaign.Reports <= Options.AlwaysRescoreUpTo || campaign.Reports >= campaign.RescoredAtSize * Options.RescoreGrowthFactor)
            {
                rescore = store.MembersOf(campaign.CampaignId, Options.MaxRescorePerJoin + 1).Where(id => id != o.ReportId).Take(Options.MaxRescorePerJoin).ToArray();
                campaign.RescoredAtSize = campaign.Reports;
                store.SaveCampaign(campaign);
            }
        }
        return new CampaignObservation(ctx, rescore);
    }

    private static long[] BandKeys(uint[] signature)
    {
        var keys = new long[TextSignature.Bands];
        for (var b = 0; b < keys.Length; b++) keys[b] = StableHash.AsKey(TextSignature.BandKey(signature, b));
        return keys;
    }

    private CampaignContext NewContext() => new() { WindowDays = Options.WindowDays, SignupCohortDays = Options.SignupCohortDays };

    private void FillSubject(CampaignContext ctx, SubjectCounts totals)
    {
        ctx.ReportsOnSubject = Math.Max(0, totals.Reports - 1);
        ctx.DistinctReporters = Math.Max(0, totals.Reporters - 1);
        ctx.ReportersForShares = totals.Reporters;
        if (totals.Reporters < Options.MinReportersForShares) return;
        if (totals.AgeKnown > 0) ctx.ShareNewReporters = Math.Round((double)totals.NewReporters / totals.AgeKnown, 4);
        if (totals.AttendanceKnown > 0) ctx.ShareReportersAttended = Math.Round((double)totals.Attended / totals.AttendanceKnown, 4);
    }

    /// <summary>
    /// Near-duplicates from the MinHash bands (each with the OTHER reports in it): the band's first and last
    /// reports by another reporter are compared with this text. Returns the verified ones.
    /// </summary>
    private List<(string ReportId, double Similarity, int ReportsInBand)> FillText(CampaignContext ctx, ObservedReport o, uint[] signature, KeyStats[] bands)
    {
        ctx.TextComparable = true;
        var seen = new HashSet<string>(StringComparer.Ordinal) { o.ReportId };
        var results = new List<(string, double, int)>();
        foreach (var stats in bands)
        {
            if (stats.Reports <= 0) continue;
            foreach (var candidate in new[] { stats.LastReportId, stats.FirstReportId })
            {
                if (candidate is null || !seen.Add(candidate)) continue;
                if (store.GetObserved(candidate) is not { TextSignature: { } other } c || c.ReporterKey == o.ReporterKey) continue;
                var similarity = TextSignature.Similarity(signature, TextSignature.Decode(other));
                if (similarity < Options.NearDuplicateSimilarity) continue;
                results.Add((candidate, similarity, stats.Reports));
                ctx.MaxTextSimilarity = Math.Max(ctx.MaxTextSimilarity ?? 0, similarity);
                ctx.NearDuplicateReports = Math.Max(ctx.NearDuplicateReports, stats.Reports);
            }
        }
        return results;
    }

    private CampaignRecord Join(ObservedReport o, List<(string Kind, string? CampaignId, string? ReportId)> links, List<long> linkKeys, out bool merged)
    {
        // Every campaign the links reach, and the linked reports that are in none yet.
        var campaigns = new List<CampaignRecord>();
        var loose = new List<string>();
        foreach (var (_, campaignId, reportId) in links)
        {
            var id = campaignId ?? (reportId is null ? null : store.CampaignOf(reportId));
            if (id is not null && Resolve(id) is { } c) { if (!campaigns.Any(x => x.CampaignId == c.CampaignId)) campaigns.Add(c); }
            else if (reportId is not null && !loose.Contains(reportId)) loose.Add(reportId);
        }
        merged = campaigns.Count > 1;
        CampaignRecord winner;
        if (campaigns.Count == 0)
        {
            // A new campaign is named after its earliest member, so the same reports give the same id anywhere.
            var first = loose.Select(store.GetObserved).Where(x => x is not null).OrderBy(x => x!.ReceivedAt).ThenBy(x => x!.ReportId, StringComparer.Ordinal).FirstOrDefault();
            var firstId = first?.ReportId ?? o.ReportId;
            winner = new CampaignRecord { CampaignId = CampaignIdFor(firstId), CreatedAt = first?.ReceivedAt ?? o.ReceivedAt };
        }
        else
        {
            // The oldest campaign keeps its id; the others are merged into it.
            campaigns.Sort((a, b) => a.CreatedAt != b.CreatedAt ? a.CreatedAt.CompareTo(b.CreatedAt) : string.CompareOrdinal(a.CampaignId, b.CampaignId));
            winner = campaigns[0];
            foreach (var other in campaigns.Skip(1))
            {
                foreach (var member in store.MembersOf(other.CampaignId, int.MaxValue))
                    if (store.GetObserved(member) is { } m && store.AddReporter(CampaignKey(winner.CampaignId), m.ReporterKey)) winner.Reporters++;
                store.MoveMembers(other.CampaignId, winner.CampaignId);
                winner.Reports += other.Reports;
                foreach (var (kind, n) in other.Links) winner.Links[kind] = winner.Links.GetValueOrDefault(kind) + n;
                other.MergedInto = winner.CampaignId;
                store.SaveCampaign(other);
            }
        }
        foreach (var reportId in loose)
            if (store.GetObserved(reportId) is { } m) AddMember(winner, m);
        AddMember(winner, o);
        foreach (var (kind, _, reportId) in links)
        {
            winner.Links[kind] = winner.Links.GetValueOrDefault(kind) + 1;
            if (reportId is not null) store.AddLink(new CampaignLink(winner.CampaignId, o.ReportId, reportId, kind, LinkDetail(kind)));
        }
        foreach (var key in linkKeys) store.SetKeyCampaign(key, winner.CampaignId);
        store.SaveCampaign(winner);
        return winner;
    }

    private void AddMember(CampaignRecord campaign, ObservedReport member)
    {
        if (store.CampaignOf(member.ReportId) is { } current && Resolve(current)?.CampaignId == campaign.CampaignId) return;
        store.SetCampaign(member.ReportId, campaign.CampaignId);
        campaign.Reports++;
        if (store.AddReporter(CampaignKey(campaign.CampaignId), member.ReporterKey)) campaign.Reporters++;
    }

    public CampaignRecord? Resolve(string campaignId)
    {
        var c = store.GetCampaign(campaignId);
        for (var hops = 0; c?.MergedInto is { } next && hops < 64; hops++) c = store.GetCampaign(next);
        return c;
    }

    public static CampaignSummary Summary(CampaignRecord c) => new()
    {
        CampaignId = c.CampaignId, Reports = c.Reports, Reporters = c.Reporters,
        Links = c.Links.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key).ToList(),
    };

    public static string CampaignIdFor(string firstReportId) => "c-" + StableHash.Of(firstReportId).ToString("x16")[..12];

    private int Others(long key, string reporter)
    {
        var stats = store.GetKey(key);
        if (stats.Reporters == 0) return 0;
        return Math.Max(0, stats.Reporters - (store.HasReporter(key, reporter) ? 1 : 0));
    }

    private static SubjectCounts SelfCounts(ObservedReport o, bool firstOnSubject) => firstOnSubject
        ? new SubjectCounts(1, 1, o.ReporterNew is null ? 0 : 1, o.ReporterNew == true ? 1 : 0, o.ReporterAttended is null ? 0 : 1, o.ReporterAttended == true ? 1 : 0)
        : new SubjectCounts(1, 0, 0, 0, 0, 0);

    private static string LinkDetail(string kind) => kind switch
    {
        SharedNetwork => "filed from the same IP range against the same subject",
        SharedSignupNetwork => "reporter accounts created from the same IP range",
        SharedDevice => "reporter accounts used the same device",
        SharedFiles => "attached the same file (same SHA-256)",
        NearDuplicateText => "near-duplicate report text",
        _ => kind,
    };

    public static long Key(string kind, string value) => StableHash.AsKey(StableHash.Of(kind, value));

    /// <summary>The high half of the keys about <paramref name="subject"/> when a store numbers no subjects: the subject's hash.</summary>
    public static long SubjectHashPrefix(string subject) =>
        StableHash.AsKey(StableHash.Mix(StableHash.Of("subject", subject)) & 0xFFFFFFFF00000000UL);

    /// <summary>
    /// The keys about one subject: <paramref name="Prefix"/> (from <see cref="ICampaignStore.SubjectPrefix"/>) in the high
    /// 32 bits, the hash of the kind and value in the low 32. The keys a report on a subject touches (its reporters,
    /// network ranges, signup cohorts) are then neighbours in a store ordered by key, so they share pages instead of each
    /// dirtying a page of its own.
    /// </summary>
    /// <remarks>The low half hashes <c>kind</c>, then <c>subject + "|" + value</c>, streamed: no string is made for it.</remarks>
    internal readonly record struct SubjectKeys(long Prefix, string Subject)
    {
        /// <summary>The keys as every store kept them before stores numbered subjects (and as a file's store still does).</summary>
        public static SubjectKeys ByHash(string subject) => new(SubjectHashPrefix(subject), subject);

        public long Reporters => Scoped("subject-reporters", "");
        public long Net(string network) => Scoped("net", network);
        public long Signup(string network) => Scoped("signup", network);

        public long Cohort(long day)
        {
            Span<char> digits = stackalloc char[20];
            day.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            return Scoped("cohort", digits[..written]);
        }

        private long Scoped(string kind, ReadOnlySpan<char> value) =>
            StableHash.AsKey(((ulong)Prefix & 0xFFFFFFFF00000000UL)
                | (StableHash.Mix(StableHash.Add(StableHash.Add(StableHash.Of(kind, Subject), "|"), value)) & 0xFFFFFFFFUL));
    }
    private static long CampaignKey(string campaignId) => Key("campaign", campaignId);
    private static long DayOf(DateTimeOffset t) => (long)Math.Floor((t.UtcDateTime - DateTime.UnixEpoch).TotalDays);
}
