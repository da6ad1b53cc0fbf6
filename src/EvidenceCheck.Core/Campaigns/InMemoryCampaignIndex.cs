using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// Campaign detection over the reports of one file, for the command line's <c>score</c>: the same
/// <see cref="CampaignEngine"/> the service runs over its store, here over memory. Reports are taken
/// in input order, so a report sees the ones before it; when a later report joins a campaign,
/// <see cref="CampaignObservation.Rescore"/> names the earlier members to score again
/// (<see cref="Rescore"/> gives what to score them with), exactly as the service re-scores them.
/// <code>
/// var index = new InMemoryCampaignIndex(scorer.Options);
/// foreach (var report in reports)
/// {
///     var evidence = scorer.Inspect(report);
///     var seen = index.Observe(report, evidence);
///     Write(scorer.Score(report, seen.Context, evidence));
///     foreach (var again in index.Rescore(seen))
///         WriteRescored(scorer.Score(again.Report, again.Context, again.Evidence));
/// }
/// </code>
/// Not thread-safe: one file, one reader.
/// </summary>
public sealed class InMemoryCampaignIndex
{
    private readonly InMemoryCampaignStore _store = new();
    private readonly CampaignEngine _engine;
    private readonly Dictionary<string, (Report Report, IReadOnlyList<EvidenceFacts>? Evidence)> _reports = new(StringComparer.Ordinal);

    public InMemoryCampaignIndex(ScoringOptions scoring, CampaignOptions? options = null) =>
        _engine = new CampaignEngine(_store, scoring, (options ?? new CampaignOptions()).Validated());

    /// <summary>Every link that joined two reports into a campaign, in the order they were found.</summary>
    public IReadOnlyList<CampaignLink> Links => _store.Links;

    /// <summary>
    /// Records a validated report as seen and returns the campaign context to score it with
    /// (<c>scorer.Score(report, observation.Context, evidence)</c>). A report id seen before is not
    /// recorded twice: it gets its context as of now and nothing to re-score.
    /// </summary>
    public CampaignObservation Observe(Report report, IReadOnlyList<EvidenceFacts>? evidence = null)
    {
        if (_store.GetObserved(report.ReportId) is { } existing)
            return new CampaignObservation(_engine.Context(existing, recorded: true), []);
        var observed = _engine.Observe(report, evidence);
        _store.AddObserved(observed);
        _reports[report.ReportId] = (report, evidence);
        return _engine.Record(observed);
    }

    /// <summary>The earlier reports an observation made stale, each with its context as of now.</summary>
    public IEnumerable<(Report Report, IReadOnlyList<EvidenceFacts>? Evidence, CampaignContext Context)> Rescore(CampaignObservation observation)
    {
        foreach (var id in observation.Rescore)
            if (_reports.TryGetValue(id, out var r) && _store.GetObserved(id) is { } o)
                yield return (r.Report, r.Evidence, _engine.Context(o, recorded: true));
    }

    /// <summary>The context of a recorded report as of now (everything seen, before and after it).</summary>
    public CampaignContext? ContextOf(string reportId) =>
        _store.GetObserved(reportId) is { } o ? _engine.Context(o, recorded: true) : null;
}
