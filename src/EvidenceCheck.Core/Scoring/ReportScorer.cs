using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Core.Scoring;

/// <summary>Every detector's outcome for one report: the feature vector a model reads, and what each detector said.</summary>
public sealed class Measurement
{
    public required ReportContext Context { get; init; }
    /// <summary>One strength per detector in catalog order; 0 where the signal is unknown.</summary>
    public required float[] Features { get; init; }
    /// <summary>What each detector returned, in catalog order; null = not measurable.</summary>
    public required Signal?[] Signals { get; init; }
    /// <summary>Detectors that threw, by catalog index, with the message.</summary>
    public required IReadOnlyList<(int Index, string Error)> Failures { get; init; }
}

/// <summary>
/// Scores one report: reads its evidence, runs every detector (a detector that throws is reported
/// and skipped, never fatal), builds the named feature vector, lets the model combine it, and
/// explains the result with the signals that moved it, strongest first. Thread-safe.
/// </summary>
public sealed class ReportScorer
{
    /// <summary>Reasons whose share of the score is smaller than this are left out as noise.</summary>
    private const double MinimumContribution = 0.005;

    private readonly IScoringModel _model;
    private readonly IEvidenceInspector _inspector;
    private readonly TimeProvider _time;

    public ReportScorer(DetectorCatalog catalog, ScoringOptions options, TimeProvider time,
        IScoringModel? model = null, IEvidenceInspector? inspector = null)
    {
        Catalog = catalog;
        Options = options.Validated();
        _time = time;
        _inspector = inspector ?? new CallerMetadataInspector();
        if (model is not null && !model.FeatureNames.SequenceEqual(catalog.FeatureNames))
            throw new InvalidOperationException(
                $"Model {model.Version} was built for a different feature layout than these detectors " +
                $"(model: {model.FeatureNames.Count} features, detectors: {catalog.FeatureNames.Count}; first difference: " +
                $"{FirstDifference(model.FeatureNames, catalog.FeatureNames)}). Retrain it or use the rules.");
        _model = AsShipped(model, catalog, Options);
    }

    /// <summary>
    /// What scores reports: the rules alone without a trained model; with one, the two blended at
    /// <see cref="ScoringOptions.RulesShare"/> (the model alone at 0).
    /// </summary>
    public static IScoringModel AsShipped(IScoringModel? trained, DetectorCatalog catalog, ScoringOptions options)
    {
        if (trained is null) return new RuleBasedModel(catalog, options);
        if (options.RulesShare == 0 || trained is RuleBasedModel or BlendedModel) return trained;
        return new BlendedModel(trained, new RuleBasedModel(catalog, options), options.RulesShare);
    }

    public DetectorCatalog Catalog { get; }
    public ScoringOptions Options { get; }
    public string ModelVersion => _model.Version;

    /// <summary>Reads the evidence of a report into facts; a failing inspector yields an unreadable fact.</summary>
    public IReadOnlyList<EvidenceFacts> Inspect(Report report)
    {
        if (report.Evidence is not { Count: > 0 } items) return [];
        var facts = new EvidenceFacts[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            try { facts[i] = _inspector.Inspect(items[i], i); }
            catch (Exception e)
            {
                facts[i] = new EvidenceFacts { Index = i, EvidenceId = items[i].EvidenceId, Kind = items[i].Kind, Readable = false, UnreadableReason = "inspection failed: " + e.Message };
            }
        }
        return facts;
    }

    public Measurement Measure(Report report, CampaignContext? campaign = null, IReadOnlyList<EvidenceFacts>? evidence = null)
    {
        var context = new ReportContext(report, Options, evidence ?? Inspect(report), campaign);
        var detectors = Catalog.Detectors;
        var features = new float[detectors.Count];
        var signals = new Signal?[detectors.Count];
        List<(int, string)>? failures = null;
        for (var i = 0; i < detectors.Count; i++)
        {
            try
            {
                var signal = detectors[i].Detector.Detect(context);
                if (signal is { } s && double.IsFinite(s.Strength))
                {
                    signals[i] = s with { Strength = Math.Clamp(s.Strength, -1, 1) };
                    features[i] = (float)signals[i]!.Value.Strength;
                }
            }
            catch (Exception e)
            {
                (failures ??= []).Add((i, $"{e.GetType().Name}: {e.Message}"));
            }
        }
        return new Measurement { Context = context, Features = features, Signals = signals, Failures = failures ?? [] };
    }

    public ScoreResult Score(Report report, CampaignContext? campaign = null, IReadOnlyList<EvidenceFacts>? evidence = null) =>
        Explain(Measure(report, campaign, evidence));

    /// <summary>Combines a measurement into the response: score, level, flag and reasons.</summary>
    public ScoreResult Explain(Measurement m)
    {
        var detectors = Catalog.Detectors;
        Span<double> logits = detectors.Count <= 256 ? stackalloc double[detectors.Count] : new double[detectors.Count];
        var output = _model.Predict(m.Features, logits);
        var score = Math.Round(output.Probability, 4);

        // Log-odds contributions, rescaled so they add up to (score − baseline) in probability:
        // each keeps its sign and its share of the total movement.
        double sum = 0;
        foreach (var l in logits) sum += l;
        var scale = Math.Abs(sum) > 1e-9 ? (output.Probability - output.BaselineProbability) / sum : 0;

        var reasons = new List<Reason>();
        for (var i = 0; i < detectors.Count; i++)
        {
            if (m.Signals[i] is not { } s) continue;
            var contribution = logits[i] * scale;
            if (Math.Abs(contribution) < MinimumContribution) continue;
            reasons.Add(new Reason
            {
                Signal = detectors[i].Name, Value = s.Value, Unit = s.Unit,
                Contribution = Math.Round(contribution, 3), Detail = s.Detail,
            });
        }
        reasons.Sort((a, b) => Math.Abs(b.Contribution).CompareTo(Math.Abs(a.Contribution)));
        foreach (var (index, error) in m.Failures)
            reasons.Add(new Reason { Signal = detectors[index].Name, Contribution = 0, Detail = $"This check failed and was left out of the score ({error})." });

        return new ScoreResult
        {
            ReportId = m.Context.Report.ReportId,
            Score = score,
            Level = Options.LevelOf(score),
            Flagged = score >= Options.FlagThreshold,
            Reasons = reasons,
            Campaign = m.Context.Campaign?.Campaign,
            ModelVersion = _model.Version,
            ScoredAt = _time.GetUtcNow(),
        };
    }

    private static string FirstDifference(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
            if (a[i] != b[i]) return $"#{i} '{a[i]}' vs '{b[i]}'";
        return a.Count > b.Count ? $"model has extra '{a[b.Count]}'" : $"detectors have extra '{b[a.Count]}'";
    }
}
