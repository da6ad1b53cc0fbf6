using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Forensics;
using EvidenceCheck.Learning.Training;

namespace EvidenceCheck.Service;

/// <summary>Builds the scorer the service uses: every discovered detector, the configured model, the evidence inspector.</summary>
public static class ScoringSetup
{
    public static ReportScorer CreateScorer(ScoringOptions options, ServiceOptions service, TimeProvider time)
    {
        var catalog = DetectorCatalog.Discover();
        return new ReportScorer(catalog, options, time, LoadModel(service, catalog), Inspector(service));
    }

    /// <summary>
    /// The model: the documented rules when asked for, else the configured file, else the shipped default.
    /// A model trained for another feature layout stops the service at start with the reason.
    /// </summary>
    private static IScoringModel? LoadModel(ServiceOptions service, DetectorCatalog catalog) =>
        service.UseRules ? null : ShippedModel.Load(service.ModelPath, catalog.FeatureNames);

    /// <summary>Evidence is read from the files themselves, within Forensics' size and time limits.</summary>
    private static IEvidenceInspector Inspector(ServiceOptions service) =>
        new FileEvidenceInspector(new FileInspectorOptions { DkimKeyFolder = service.DkimKeyFolder }.Validated());
}
