namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// What is known across reports when this one is scored: filled from the store (service) or from
/// the file being scored (command line), so both give the same answers. Campaign detectors read
/// only this; null means the report is scored alone and campaign signals are unknown.
/// </summary>
public sealed class CampaignContext
{
    /// <summary>Earlier reports against the same subject within the campaign window, this one excluded.</summary>
    public int ReportsOnSubject { get; set; }
    public int DistinctReporters { get; set; }
    /// <summary>Share of those reporters whose accounts were new at report time, 0..1.</summary>
    public double? ShareNewReporters { get; set; }
    /// <summary>Share of those reporters who were recorded in the meeting, 0..1.</summary>
    public double? ShareReportersAttended { get; set; }
    /// <summary>Other reporters on the subject sharing this reporter's IP range (/24 or /48) or a device.</summary>
    public int ReportersSharingNetwork { get; set; }
    public int ReportersSharingDevice { get; set; }
    /// <summary>Other reporters on the subject whose accounts were created within the signup-cohort window of this one.</summary>
    public int ReportersInSignupCohort { get; set; }
    /// <summary>Other reports whose text is a near-duplicate of this one, and the highest similarity (0..1).</summary>
    public int NearDuplicateReports { get; set; }
    public double? MaxTextSimilarity { get; set; }
    /// <summary>Other reports, by other reporters, that attached a file with the same SHA-256 as this one.</summary>
    public int ReportsSharingFiles { get; set; }
    public Contract.CampaignSummary? Campaign { get; set; }
}
