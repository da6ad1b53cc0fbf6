using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Forensics.Tests;

/// <summary>Small factories for reports and files, around one meeting: 2020-06-03 13:30–14:55 UTC, reported at 16:00 UTC.</summary>
internal static class Some
{
    public static readonly DateTimeOffset MeetingStart = new(2020, 6, 3, 13, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset MeetingEnd = new(2020, 6, 3, 14, 55, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset ReceivedAt = new(2020, 6, 3, 16, 0, 0, TimeSpan.Zero);

    public static string File(string name) => Path.Combine(AppContext.BaseDirectory, "Files", name);
    public static string KeyFolder => File("dkim-keys");

    /// <summary>
    /// The inspector with the test keys. Its time limit is generous: a shared CI machine under load can
    /// take seconds to JIT the DKIM path, and these tests are about what is read, not how fast
    /// (the limit itself is tested with a parser that hangs).
    /// </summary>
    public static FileEvidenceInspector Inspector(bool keys = true) =>
        new(new FileInspectorOptions { DkimKeyFolder = keys ? KeyFolder : null, TimeLimit = TimeSpan.FromSeconds(60) });

    public static EvidenceFacts Facts(string name, string? kind = null, bool keys = true)
    {
        var facts = Inspector(keys).InspectFile(File(name));
        facts.Kind = kind;
        return facts;
    }

    public static Report Report(string? reporterCountry = null, params Account[] accused) => new()
    {
        ReportId = "r-1",
        ReceivedAt = ReceivedAt,
        Channel = "in_app",
        Category = "terrorism",
        Reporter = new Account { AccountId = "u-reporter", Country = reporterCountry, CreatedAt = ReceivedAt.AddDays(-400) },
        Subject = new Subject
        {
            Kind = "meeting",
            Meeting = new Meeting
            {
                MeetingId = "m-1", StartedAt = MeetingStart, EndedAt = MeetingEnd,
                Participants = [new Participant { AccountId = "u-reporter", JoinedAt = MeetingStart, LeftAt = MeetingEnd, Country = reporterCountry }],
            },
            Accounts = [.. accused],
        },
    };

    public static ReportContext Context(Report report, params EvidenceFacts[] evidence) =>
        new(report, new ScoringOptions(), evidence);

    public static ReportContext Context(params EvidenceFacts[] evidence) => Context(Report(), evidence);

    public static Evidence Evidence(string name, string kind, string? mediaType = null) => new()
    {
        EvidenceId = "e-" + name, Kind = kind, FileName = name, MediaType = mediaType,
        ContentBase64 = Convert.ToBase64String(System.IO.File.ReadAllBytes(File(name))),
    };
}
