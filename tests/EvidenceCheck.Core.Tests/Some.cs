using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Core.Tests;

/// <summary>
/// Test data: a genuine-looking report about a meeting 12:00–15:00 UTC on 2020-06-03, filed at
/// 15:10 by an established participant who was there throughout. Tests change what they test.
/// </summary>
internal static class Some
{
    public static readonly DateTimeOffset MeetingStart = new(2020, 6, 3, 12, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset MeetingEnd = MeetingStart.AddHours(3);
    public static readonly DateTimeOffset Received = MeetingEnd.AddMinutes(10);

    public static Account Account(string id, DateTimeOffset? created = null, string? name = null) => new()
    {
        AccountId = id,
        CreatedAt = created ?? Received.AddYears(-3),
        DisplayName = name ?? $"Person {id}",
        Email = $"{id}@example.org",
        EmailVerified = true,
        Country = "US",
    };

    public static Participant Present(string id, DateTimeOffset? from = null, DateTimeOffset? to = null, string? name = null) => new()
    {
        AccountId = id, DisplayName = name ?? $"Person {id}", JoinedAt = from ?? MeetingStart, LeftAt = to ?? MeetingEnd,
    };

    public static Report Report(Action<Report>? change = null)
    {
        var report = new Report
        {
            ReportId = "r-test",
            ReceivedAt = Received,
            Channel = "in_app",
            Category = "harassment",
            Text = "They shouted abuse at the speaker.",
            Reporter = Account("u-rep"),
            ReporterSession = new ReporterSession { Ip = "198.51.100.7", DeviceId = "d-rep", Country = "US" },
            Subject = new Subject
            {
                Kind = "meeting",
                Meeting = new Meeting
                {
                    MeetingId = "m-1", Title = "Weekly gardening club", HostAccountId = "u-host",
                    ScheduledAt = MeetingStart.AddDays(-7), StartedAt = MeetingStart, EndedAt = MeetingEnd,
                    Participants = [Present("u-host", name: "Jane Host"), Present("u-rep"), Present("u-acc")],
                },
                Accounts = [Account("u-acc")],
            },
            Claims = new Claims { OccurredAt = MeetingStart.AddHours(1), SpeakerAccountId = "u-acc" },
        };
        change?.Invoke(report);
        return report;
    }

    public static ReportContext Context(Report report, ScoringOptions? options = null) => new(report, options ?? new ScoringOptions());

    public static Signal? Detect<T>(Report report, ScoringOptions? options = null) where T : ISignalDetector, new() =>
        new T().Detect(Context(report, options));

    public static string Json(Report report) => ContractJson.Serialize(report);
}
