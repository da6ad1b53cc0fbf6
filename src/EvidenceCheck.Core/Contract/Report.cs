namespace EvidenceCheck.Core.Contract;

// The report contract v1 (DESIGN.md). Every optional field is nullable: a missing field is
// "unknown" and detectors must treat it so, never as false or zero.
// Trusted fields come from the platform's own records; claimed fields come from the reporter.

/// <summary>One abuse report, as the moderation queue hands it to the scorer.</summary>
public sealed class Report
{
    public string ReportId { get; set; } = "";
    /// <summary>Trusted: when the platform received the report. The scorer's "now" for every age.</summary>
    public DateTimeOffset? ReceivedAt { get; set; }
    /// <summary>Trusted: in_app | web_form | email | api | internal.</summary>
    public string? Channel { get; set; }
    /// <summary>Claimed: see <see cref="Categories"/>.</summary>
    public string? Category { get; set; }
    public string? Text { get; set; }
    public Account? Reporter { get; set; }
    public ReporterSession? ReporterSession { get; set; }
    public Subject? Subject { get; set; }
    public Claims? Claims { get; set; }
    public List<Evidence>? Evidence { get; set; }
}

public sealed class Account
{
    public string AccountId { get; set; } = "";
    public DateTimeOffset? CreatedAt { get; set; }
    public string? DisplayName { get; set; }
    public string? Email { get; set; }
    public bool? EmailVerified { get; set; }
    public string? Country { get; set; }
    public int? MeetingsAttended { get; set; }
    public int? ReportsFiled { get; set; }
    public int? ReportsUpheld { get; set; }
    public string? SignupIp { get; set; }
    public List<string>? DeviceIds { get; set; }
}

public sealed class ReporterSession
{
    public string? Ip { get; set; }
    public string? DeviceId { get; set; }
    public string? Country { get; set; }
    public string? UserAgent { get; set; }
}

public sealed class Subject
{
    /// <summary>meeting | account | message.</summary>
    public string? Kind { get; set; }
    public Meeting? Meeting { get; set; }
    public List<Account>? Accounts { get; set; }
}

public sealed class Meeting
{
    public string MeetingId { get; set; } = "";
    public string? Title { get; set; }
    public List<string>? Tags { get; set; }
    public string? HostAccountId { get; set; }
    public DateTimeOffset? ScheduledAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public List<Participant>? Participants { get; set; }
    public List<ChatMessage>? Chat { get; set; }
}

/// <summary>One stretch of presence: an account that left and rejoined appears once per stretch.</summary>
public sealed class Participant
{
    public string AccountId { get; set; } = "";
    public string? DisplayName { get; set; }
    public DateTimeOffset? JoinedAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
    public string? Ip { get; set; }
    public string? Country { get; set; }
}

public sealed class ChatMessage
{
    public string? AccountId { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? Text { get; set; }
}

public sealed class Claims
{
    public DateTimeOffset? OccurredAt { get; set; }
    public string? SpeakerAccountId { get; set; }
    public string? Quote { get; set; }
}

public sealed class Evidence
{
    public string? EvidenceId { get; set; }
    /// <summary>screenshot | photo | video | audio | email | document | link | text.</summary>
    public string? Kind { get; set; }
    public string? FileName { get; set; }
    public string? MediaType { get; set; }
    public string? Sha256 { get; set; }
    public long? SizeBytes { get; set; }
    public DateTimeOffset? ClaimedCapturedAt { get; set; }
    public string? ContentBase64 { get; set; }
    /// <summary>Already-extracted fields, for callers that keep files elsewhere. Ignored where the file itself disagrees.</summary>
    public Dictionary<string, object?>? Metadata { get; set; }
}

/// <summary>The closed vocabularies of the contract.</summary>
public static class Vocabulary
{
    public static readonly string[] Channels = ["in_app", "web_form", "email", "api", "internal"];
    public static readonly string[] Categories =
        ["child_safety", "terrorism", "violent_extremism", "hate", "violence", "harassment", "impersonation", "spam", "other"];
    public static readonly string[] SubjectKinds = ["meeting", "account", "message"];
    public static readonly string[] EvidenceKinds = ["screenshot", "photo", "video", "audio", "email", "document", "link", "text"];
}
