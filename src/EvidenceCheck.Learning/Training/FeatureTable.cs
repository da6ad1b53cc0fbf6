using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Learning.Training;

/// <summary>
/// Cross-report knowledge for one report, for training and evaluation: the hook for the in-memory
/// campaign index. <see cref="FeatureTable.Measure"/> calls it once per report, in arrival order
/// (receivedAt), on one thread, so a stateful index can add each report as it is asked about it and
/// answer with what it knew then — never with later reports, or the numbers would be too good.
/// Null = every report scored alone.
/// </summary>
public delegate CampaignContext? CampaignLookup(Report report);

/// <summary>The scorer's named feature vectors of a set of reports, with their labels.</summary>
public sealed class FeatureTable
{
    public required IReadOnlyList<string> FeatureNames { get; init; }
    public required float[][] Rows { get; init; }
    public required bool[] Fabricated { get; init; }
    /// <summary>The incident each report came from; splits keep an incident's reports together so they cannot leak across.</summary>
    public required string[] Groups { get; init; }
    /// <summary>Detector failures seen while measuring (a detector that throws is left out of that report's vector).</summary>
    public int DetectorFailures { get; init; }

    /// <summary>Asks the campaign hook in arrival order, then measures every report with the scorer (in parallel: the scorer is thread-safe).</summary>
    public static FeatureTable Measure(ReportScorer scorer, LabelledData data, CampaignLookup? campaigns = null, int? maxParallelism = null)
    {
        var rows = new float[data.Reports.Count][];
        var contexts = new CampaignContext?[rows.Length];
        if (campaigns is not null)
            foreach (var i in Enumerable.Range(0, rows.Length).OrderBy(i => data.Reports[i].ReceivedAt)) // stable: ties keep file order
                contexts[i] = campaigns(data.Reports[i]);
        var failures = 0;
        Parallel.For(0, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = maxParallelism ?? Environment.ProcessorCount }, i =>
        {
            var report = data.Reports[i];
            var m = scorer.Measure(report, contexts[i]);
            rows[i] = m.Features;
            if (m.Failures.Count > 0) Interlocked.Add(ref failures, m.Failures.Count);
        });
        return new FeatureTable
        {
            FeatureNames = scorer.Catalog.FeatureNames,
            Rows = rows,
            Fabricated = data.Labels.Select(l => l.Fabricated).ToArray(),
            Groups = data.Labels.Select(l => l.CampaignId).ToArray(),
            DetectorFailures = failures,
        };
    }

    public FeatureTable Subset(IReadOnlyList<int> indexes) => new()
    {
        FeatureNames = FeatureNames,
        Rows = indexes.Select(i => Rows[i]).ToArray(),
        Fabricated = indexes.Select(i => Fabricated[i]).ToArray(),
        Groups = indexes.Select(i => Groups[i]).ToArray(),
    };
}
