using System.Globalization;
using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// Deterministic reports for the load benchmark: ordinary meetings with a handful of reports each, and
/// "hot" subjects that draw thousands. Honest-looking on purpose (their own networks, devices and words):
/// the point is the cost of a report against a big store, not the campaign logic's verdicts.
/// </summary>
internal static class ServiceLoadData
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Words =
    [
        "someone", "joined", "and", "started", "shouting", "slurs", "at", "the", "host", "shared", "screen", "with", "graphic", "images",
        "kept", "unmuting", "over", "speakers", "posted", "links", "to", "videos", "chat", "was", "flooded", "threats", "against", "people",
        "who", "spoke", "about", "their", "families", "account", "drew", "on", "whiteboard", "music", "names", "called", "everyone",
        "awful", "things", "we", "had", "end", "early", "because", "of", "it", "several", "intruders", "laughed", "while", "attendees",
        "tried", "speak", "my", "mother", "left", "crying", "spam", "advert", "scam", "crypto", "giveaway", "fake", "profile", "pretending",
    ];
    private static readonly string[] Categories = ["harassment", "hate", "spam", "other", "violence", "impersonation", "terrorism"];

    /// <param name="hot">Subject of a hot meeting (0..hotSubjects-1), or null for an ordinary one.</param>
    /// <param name="randomId">The report id is a hash, as a UUID would be (scattered over the report-id index), not a counter.</param>
    public static Report Make(string prefix, long i, int? hot, bool randomId = false)
    {
        var random = new Random(unchecked((int)EvidenceCheck.Core.Campaigns.StableHash.Mix((ulong)i ^ EvidenceCheck.Core.Campaigns.StableHash.Of(prefix))));
        var received = Start.AddSeconds(i * 2);
        var meetingId = hot is { } h ? $"hot-{h}" : $"m-{prefix}-{i / 5}";
        var reporterId = $"u-{prefix}-{i}";
        var started = received.AddMinutes(-30 - random.Next(60));
        var participants = new List<Participant>();
        for (var p = 0; p < 5; p++)
            participants.Add(new Participant { AccountId = $"p-{meetingId}-{p}", JoinedAt = started.AddMinutes(p), LeftAt = started.AddMinutes(50), Ip = Ip(random) });
        if (random.Next(10) < 7) participants.Add(new Participant { AccountId = reporterId, JoinedAt = started.AddMinutes(3), LeftAt = started.AddMinutes(40), Ip = Ip(random) });
        var text = string.Join(' ', Enumerable.Range(0, 12 + random.Next(14)).Select(_ => Words[random.Next(Words.Length)]));
        return new Report
        {
            ReportId = randomId ? $"{prefix}-{EvidenceCheck.Core.Campaigns.StableHash.Mix((ulong)i ^ EvidenceCheck.Core.Campaigns.StableHash.Of(prefix)):x16}" : $"{prefix}-{i}", ReceivedAt = received, Channel = "in_app", Category = Categories[random.Next(Categories.Length)], Text = text,
            Reporter = new Account
            {
                AccountId = reporterId, CreatedAt = received.AddDays(-random.Next(1, 3000)), Email = $"{reporterId}@example.org", EmailVerified = true,
                Country = "DE", MeetingsAttended = random.Next(300), ReportsFiled = 2, ReportsUpheld = 1, SignupIp = Ip(random), DeviceIds = [$"d-{reporterId}"],
            },
            ReporterSession = new ReporterSession { Ip = Ip(random), DeviceId = $"d-{reporterId}", Country = "DE", UserAgent = "Mozilla/5.0" },
            Subject = new Subject
            {
                Kind = "meeting",
                Meeting = new Meeting
                {
                    MeetingId = meetingId, Title = "Weekly community call", HostAccountId = $"p-{meetingId}-0", ScheduledAt = started.AddDays(-3),
                    StartedAt = started, EndedAt = started.AddMinutes(60), Participants = participants,
                },
            },
            Claims = new Claims { OccurredAt = started.AddMinutes(10), SpeakerAccountId = $"p-{meetingId}-2" },
            Evidence = random.Next(10) < 3
                ? [new Evidence { EvidenceId = "e1", Kind = "screenshot", FileName = "shot.png", MediaType = "image/png", Sha256 = Sha(random), SizeBytes = 200_000 }]
                : null,
        };
    }

    private static string Ip(Random r) => string.Create(CultureInfo.InvariantCulture, $"{r.Next(1, 223)}.{r.Next(256)}.{r.Next(256)}.{r.Next(1, 255)}");

    private static string Sha(Random r)
    {
        Span<byte> bytes = stackalloc byte[32];
        r.NextBytes(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
