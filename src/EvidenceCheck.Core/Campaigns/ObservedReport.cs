using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// What campaign detection keeps of one report: the few trusted facts that relate it to others.
/// Small on purpose: it is stored beside every report and read back when a campaign re-scores it.
/// </summary>
public sealed class ObservedReport
{
    public string ReportId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary><c>meeting:ID</c> or <c>account:ID</c> (the first accused account); null when the report names no subject.</summary>
    public string? Subject { get; set; }
    public string? ReporterId { get; set; }
    public DateTimeOffset? ReporterCreatedAt { get; set; }
    /// <summary>The reporter's account was younger than ScoringOptions.NewAccountDays at report time; null when its age is unknown.</summary>
    public bool? ReporterNew { get; set; }
    /// <summary>The reporter is in the meeting's participant list; null when the meeting has no attendance record.</summary>
    public bool? ReporterAttended { get; set; }
    /// <summary>/24 or /48 of the address the report was filed from.</summary>
    public string? SessionNetwork { get; set; }
    /// <summary>/24 or /48 of the address the reporter's account was created from.</summary>
    public string? SignupNetwork { get; set; }
    /// <summary>The session device and the devices the reporter's account has used.</summary>
    public List<string> Devices { get; set; } = [];
    /// <summary>SHA-256 (lower-case hex) of the attached files: computed from the bytes when present, else declared.</summary>
    public List<string> Files { get; set; } = [];
    /// <summary>MinHash of the report text (base64), null when too short to compare.</summary>
    public string? TextSignature { get; set; }

    public static ObservedReport From(Report report, ScoringOptions scoring, CampaignOptions options, IReadOnlyList<EvidenceFacts>? evidence = null)
    {
        var received = report.ReceivedAt ?? throw new ArgumentException("report.receivedAt is required", nameof(report));
        var reporter = report.Reporter;
        var meeting = report.Subject?.Meeting;
        var subject = meeting is { MeetingId.Length: > 0 } ? "meeting:" + meeting.MeetingId
            : report.Subject?.Accounts?.FirstOrDefault(a => a is { AccountId.Length: > 0 }) is { } accused ? "account:" + accused.AccountId
            : null;
        bool? attended = null;
        if (meeting is not null && reporter is not null)
        {
            var record = new MeetingRecord(meeting);
            if (record.HasAttendance) attended = record.IsParticipant(reporter.AccountId);
        }
        var devices = new List<string>();
        if (report.ReporterSession?.DeviceId is { Length: > 0 } sessionDevice) devices.Add(sessionDevice);
        foreach (var d in reporter?.DeviceIds ?? [])
            if (!string.IsNullOrEmpty(d) && !devices.Contains(d)) devices.Add(d);
        var files = new List<string>();
        if (evidence is { Count: > 0 })
        {
            foreach (var f in evidence)
                if ((f.ComputedSha256 ?? f.DeclaredSha256) is { Length: > 0 } sha && !files.Contains(sha.ToLowerInvariant())) files.Add(sha.ToLowerInvariant());
        }
        else
        {
            foreach (var e in report.Evidence ?? [])
                if (e?.Sha256 is { Length: > 0 } sha && !files.Contains(sha.ToLowerInvariant())) files.Add(sha.ToLowerInvariant());
        }
        var signature = Campaigns.TextSignature.Of(report.Text, options.MinTextWords);
        return new ObservedReport
        {
            ReportId = report.ReportId,
            ReceivedAt = received,
            Subject = subject,
            ReporterId = reporter?.AccountId is { Length: > 0 } id ? id : null,
            ReporterCreatedAt = reporter?.CreatedAt,
            ReporterNew = reporter?.CreatedAt is { } created ? received - created < scoring.NewAccountAge : null,
            ReporterAttended = attended,
            SessionNetwork = NetworkRange.Of(report.ReporterSession?.Ip),
            SignupNetwork = NetworkRange.Of(reporter?.SignupIp),
            Devices = devices,
            Files = files,
            TextSignature = signature is null ? null : Campaigns.TextSignature.Encode(signature),
        };
    }

    /// <summary>Who stands behind the report for "distinct reporters" counts: the account, or the report itself when anonymous.</summary>
    public string ReporterKey => ReporterId ?? "report:" + ReportId;

    public long Day => (long)Math.Floor((ReceivedAt.UtcDateTime - DateTime.UnixEpoch).TotalDays);
}
