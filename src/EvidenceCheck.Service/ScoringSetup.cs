using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Service;

/// <summary>Builds the scorer the service uses: every discovered detector, the configured model, the evidence inspector.</summary>
public static class ScoringSetup
{
    public static ReportScorer CreateScorer(ScoringOptions options, ServiceOptions service, TimeProvider time)
    {
        var catalog = DetectorCatalog.Discover();
        return new ReportScorer(catalog, options, time, LoadModel(service.ModelPath), Inspector());
    }

    /// <summary>
    /// THE place a trained model plugs in: EvidenceCheck.Learning's loader goes here (given the path, and the
    /// catalog if it checks the feature layout). Until it exists, no path means the documented rule-based
    /// model, and a configured path is refused at start rather than silently ignored.
    /// </summary>
    private static IScoringModel? LoadModel(string? path)
    {
        if (string.IsNullOrEmpty(path)) return null;
        throw new InvalidOperationException($"Service:ModelPath is set ({path}) but this build cannot load trained models yet; remove it to use the rule-based model.");
    }

    /// <summary>The evidence inspector: the scorer's default (caller metadata) until Forensics' file inspector is plugged in here.</summary>
    private static IEvidenceInspector? Inspector() => null;
}
