using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Core.Signals;

/// <summary>
/// Everything a detector may look at for one report: the report, the platform's meeting record
/// indexed for presence questions, the facts read from its evidence, and what is known across
/// reports. Built once per report and shared by all detectors.
/// </summary>
public sealed class ReportContext
{
    public ReportContext(Report report, ScoringOptions options, IReadOnlyList<EvidenceFacts>? evidence = null, CampaignContext? campaign = null)
    {
        Report = report;
        Options = options;
        // receivedAt is required by the contract; the validator guarantees it before scoring.
        ReceivedAt = report.ReceivedAt ?? throw new ArgumentException("report.receivedAt is required", nameof(report));
        Meeting = report.Subject?.Meeting;
        Presence = Meeting is null ? null : new MeetingRecord(Meeting);
        Accused = report.Subject?.Accounts?.Where(a => a is not null).ToArray() ?? [];
        Evidence = evidence ?? [];
        Campaign = campaign;
    }

    public Report Report { get; }
    public ScoringOptions Options { get; }
    /// <summary>Trusted time of the report; every age is measured from here, never from the clock.</summary>
    public DateTimeOffset ReceivedAt { get; }
    public Account? Reporter => Report.Reporter;
    public Meeting? Meeting { get; }
    public MeetingRecord? Presence { get; }
    public IReadOnlyList<Account> Accused { get; }
    public IReadOnlyList<EvidenceFacts> Evidence { get; }
    /// <summary>Cross-report knowledge (store or file), or null when scoring a report alone.</summary>
    public CampaignContext? Campaign { get; }

    /// <summary>
    /// Whether the report says something happened in the meeting (words, a video, a threat) — what the meeting's record
    /// can confirm or contradict in time and presence. An impersonation report does not: it says an account imitates
    /// someone, which is as true after the meeting as during it, whoever was in the room; a victim often notices days
    /// later. Its claimed time, "speaker" and screenshot times are then not checked against the meeting.
    /// </summary>
    public bool ClaimsAnEventInTheMeeting => !string.Equals(Report.Category, "impersonation", StringComparison.Ordinal);

    /// <summary>The age of an account when this report arrived, or null when its creation time is unknown.</summary>
    public TimeSpan? AgeAtReport(Account? account) =>
        account?.CreatedAt is { } created ? ReceivedAt - created : null;
}
