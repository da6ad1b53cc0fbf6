namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// What is known across reports when this one is scored: filled by <see cref="CampaignEngine"/> from the
/// store (service) or from the file being scored (command line), so both give the same answers.
/// Campaign detectors read only this; null means the report is scored alone and campaign signals are unknown.
/// Counts are of OTHER reports and reporters; shares include this report's reporter.
/// </summary>
public sealed class CampaignContext
{
    /// <summary>Other reports against the same subject received within the campaign window (either side of this one).</summary>
    public int ReportsOnSubject { get; set; }
    /// <summary>Other reporters on the subject in the window.</summary>
    public int DistinctReporters { get; set; }
    /// <summary>Share of the subject's reporters (this one included) whose accounts were new at report time, 0..1; null below the minimum reporter count or when ages are unknown.</summary>
    public double? ShareNewReporters { get; set; }
    /// <summary>Share of the subject's reporters (this one included) recorded in the meeting, 0..1; null below the minimum or without an attendance record.</summary>
    public double? ShareReportersAttended { get; set; }
    /// <summary>How many reporters the shares were computed from (this one included).</summary>
    public int ReportersForShares { get; set; }
    /// <summary>Other reporters on the subject who filed from this report's IP range (/24 or /48).</summary>
    public int ReportersSharingNetwork { get; set; }
    /// <summary>Other reporters on the subject whose accounts were created from the same IP range as this reporter's.</summary>
    public int ReportersSharingSignupNetwork { get; set; }
    /// <summary>Other reporters (any subject) who used one of this reporter's devices.</summary>
    public int ReportersSharingDevice { get; set; }
    /// <summary>Other reporters on the subject whose accounts were created within the signup-cohort window of this one.</summary>
    public int ReportersInSignupCohort { get; set; }
    /// <summary>Whether this reporter's account age is known (cohorts mean nothing otherwise).</summary>
    public bool ReporterCreatedKnown { get; set; }
    /// <summary>Other reports whose text is a near-duplicate of this one, and the highest similarity (0..1).</summary>
    public int NearDuplicateReports { get; set; }
    public double? MaxTextSimilarity { get; set; }
    /// <summary>Whether this report's text was long enough to compare.</summary>
    public bool TextComparable { get; set; }
    /// <summary>Other reporters (any subject) who attached a file with the same SHA-256 as one of this report's.</summary>
    public int ReportsSharingFiles { get; set; }
    /// <summary>Whether this report attached any file with a hash.</summary>
    public bool HasFiles { get; set; }
    /// <summary>The window the subject counts cover, in days either side of this report.</summary>
    public int WindowDays { get; set; }
    /// <summary>The signup-cohort window, in days either side of the reporter's account creation.</summary>
    public int SignupCohortDays { get; set; }
    /// <summary>The campaign this report belongs to, once strong links joined it to others.</summary>
    public Contract.CampaignSummary? Campaign { get; set; }
}
