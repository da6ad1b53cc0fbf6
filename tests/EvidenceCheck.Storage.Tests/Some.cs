using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Storage.Tests;

/// <summary>
/// Test data, seeded: reports shaped like the seed case (a burst of fresh, linked accounts that were
/// never in the meeting, reusing a script) and like a genuine raid (established participants, own
/// words, their own networks).
/// </summary>
public static class Some
{
    public static readonly DateTimeOffset MeetingStart = new(2020, 6, 3, 13, 0, 0, TimeSpan.Zero);

    private static readonly string[] Vocabulary =
    [
        "someone", "joined", "and", "started", "shouting", "slurs", "at", "the", "host", "shared", "screen", "with", "graphic", "images",
        "kept", "unmuting", "over", "speakers", "posted", "links", "to", "disgusting", "videos", "chat", "was", "flooded", "threats",
        "against", "people", "who", "spoke", "about", "their", "families", "an", "account", "drew", "swastikas", "on", "whiteboard",
        "music", "blasting", "names", "called", "everyone", "awful", "things", "we", "had", "end", "early", "because", "of", "it",
        "several", "intruders", "laughed", "while", "elderly", "attendees", "tried", "speak", "my", "mother", "left", "crying",
    ];

    /// <summary>A minimal valid report; adjust with the callback.</summary>
    public static Report Report(string id, Action<Report>? adjust = null)
    {
        var r = new Report
        {
            ReportId = id, ReceivedAt = MeetingStart.AddHours(2), Channel = "in_app", Category = "other",
            Reporter = new Account { AccountId = "acct-" + id, CreatedAt = MeetingStart.AddYears(-2) },
            Subject = new Subject { Kind = "meeting", Meeting = Meeting("m-" + id, []) },
        };
        adjust?.Invoke(r);
        return r;
    }

    public static Meeting Meeting(string meetingId, IEnumerable<string> participants) => new()
    {
        MeetingId = meetingId, Title = "June 4th commemoration", HostAccountId = "host-" + meetingId,
        ScheduledAt = MeetingStart.AddDays(-10), StartedAt = MeetingStart, EndedAt = MeetingStart.AddHours(2),
        Participants = participants.Prepend("host-" + meetingId).Select(p => new Participant
        {
            AccountId = p, JoinedAt = MeetingStart.AddMinutes(1), LeftAt = MeetingStart.AddMinutes(110),
        }).ToList(),
    };

    /// <summary>
    /// The seed's pattern: <paramref name="count"/> accounts created an hour or two before reporting, from one
    /// /24, none of them in the meeting, filing a lightly edited script as "terrorism", some with the same file.
    /// </summary>
    public static List<Report> SeedCampaign(int count, string meetingId, int seed = 7, int script = 0)
    {
        var random = new Random(seed);
        var realParticipants = Enumerable.Range(0, 12).Select(i => $"{meetingId}-member-{i}").ToArray();
        var meeting = Meeting(meetingId, realParticipants);
        var text = Scripts[script % Scripts.Length];
        var file = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("proof of " + meetingId)));
        return Enumerable.Range(0, count).Select(i =>
        {
            var received = MeetingStart.AddMinutes(70 + i * 3);
            var words = text.Split(' ').ToList();
            // Light edits, as copy-pasters make them.
            if (random.Next(2) == 0) words[random.Next(words.Count)] = "really";
            return new Report
            {
                ReportId = $"{meetingId}-fake-{i:00}", ReceivedAt = received, Channel = "web_form", Category = "terrorism",
                Text = string.Join(' ', words),
                Reporter = new Account
                {
                    AccountId = $"{meetingId}-sock-{i:00}", CreatedAt = received.AddMinutes(-90 - random.Next(60)),
                    Email = $"sock{i}@mailinator.com", EmailVerified = false, MeetingsAttended = 0, ReportsFiled = 0,
                    SignupIp = $"203.0.113.{10 + random.Next(200)}",
                },
                ReporterSession = new ReporterSession { Ip = $"203.0.113.{10 + random.Next(200)}", DeviceId = $"dev-{meetingId}-{i}" },
                Subject = new Subject { Kind = "meeting", Meeting = meeting },
                Evidence = i % 2 == 0
                    ? [new Evidence { EvidenceId = "e1", Kind = "screenshot", Sha256 = file, FileName = "proof.png" }]
                    : null,
            };
        }).ToList();
    }

    /// <summary>Scripts of different campaigns: reports reusing one script across meetings are one campaign.</summary>
    private static readonly string[] Scripts =
    [
        "the host of this meeting is spreading terrorist propaganda and recruiting people to join an extremist group please shut it down immediately",
        "this meeting shares child abuse material with its members and the organiser distributes illegal videos to everyone who joins it now",
        "participants here are planning violent attacks and the host is inciting hatred against the police so this group must be banned today",
    ];

    /// <summary>
    /// A meeting really disrupted, reported by <paramref name="count"/> of its participants: accounts years old,
    /// each in the participant list, each on its own network and device, each in their own words.
    /// </summary>
    public static List<Report> GenuineRaid(int count, string meetingId, int seed = 11)
    {
        var random = new Random(seed);
        var reporters = Enumerable.Range(0, count).Select(i => $"{meetingId}-regular-{i:00}").ToArray();
        var meeting = Meeting(meetingId, reporters.Concat(["raider-1", "raider-2"]));
        return Enumerable.Range(0, count).Select(i => new Report
        {
            ReportId = $"{meetingId}-witness-{i:00}", ReceivedAt = MeetingStart.AddMinutes(40 + i * 2), Channel = "in_app",
            Category = random.Next(2) == 0 ? "harassment" : "hate",
            Text = string.Join(' ', Enumerable.Range(0, 14 + random.Next(10)).Select(_ => Vocabulary[random.Next(Vocabulary.Length)])),
            Reporter = new Account
            {
                AccountId = reporters[i], CreatedAt = MeetingStart.AddDays(-400 - random.Next(2000)), EmailVerified = true,
                Email = $"person{i}@example.org", MeetingsAttended = 20 + random.Next(200), SignupIp = $"{11 + i}.{random.Next(250)}.{random.Next(250)}.{random.Next(250)}",
            },
            ReporterSession = new ReporterSession { Ip = $"{60 + i}.{random.Next(250)}.{random.Next(250)}.{random.Next(250)}", DeviceId = $"dev-{reporters[i]}" },
            Subject = new Subject { Kind = "meeting", Meeting = meeting, Accounts = [new Account { AccountId = "raider-1", CreatedAt = MeetingStart.AddHours(-3) }] },
        }).ToList();
    }

    /// <summary>The report as a client sends it.</summary>
    public static string Json(Report report) => ContractJson.Serialize(report);
}
