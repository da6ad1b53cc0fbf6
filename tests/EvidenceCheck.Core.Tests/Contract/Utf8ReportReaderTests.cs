using System.Text;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Testing;

namespace EvidenceCheck.Core.Tests.Contract;

/// <summary>
/// The fast path from bytes must never change a verdict: every input reads to the same report, or to the same problems
/// with the same lines and columns, as the careful Json.NET reading of its text.
/// </summary>
public class Utf8ReportReaderTests
{
    private const string Minimal = """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z"}""";

    /// <summary>What a caller sees of a reading: the report as the contract writes it (metadata with its value types), or every problem.</summary>
    private static string Verdict(ReportParse p) =>
        p.Ok
            ? ContractJson.Serialize(p.Report!) + string.Concat(p.Report!.Evidence?.Where(e => e?.Metadata is not null)
                .SelectMany(e => e.Metadata!.Select(m => $"|{m.Key}:{m.Value?.GetType().Name}")) ?? [])
            : string.Join("\n", p.Errors.Select(e => $"{e} @{e.Line}:{e.Position}"));

    private static ReportParse Careful(byte[] utf8) =>
        Utf8Text.Decode(utf8, out var notText) is { } text ? ReportReader.Parse(text) : new ReportParse(null, [notText!]);

    private static void AssertSameVerdict(byte[] utf8) =>
        Assert.Equal(Verdict(Careful(utf8)), Verdict(ReportReader.Parse(utf8)));

    private static string[] Samples() => File.ReadAllLines(Path.Combine(RepositoryRoot.Folder, "samples", "reports.jsonl")).Where(l => l.Length > 0).ToArray();

    [Fact]
    public void Samples_AreReadStraightFromTheirBytes_IntoTheSameReports()
    {
        foreach (var line in Samples())
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            var fast = ReportReader.ParseAcceptable(bytes);
            Assert.NotNull(fast);
            Assert.Equal(Verdict(Careful(bytes)), Verdict(fast!));
        }
    }

    [Fact]
    public void EveryFieldOfTheContract_IsReadStraightFromTheBytes()
    {
        var report = Some.Report(r =>
        {
            r.Claims = new Claims { OccurredAt = Some.MeetingStart.AddMinutes(5), SpeakerAccountId = "u-host", Quote = "a \"quote\"\n\t\\ 六四 🕯" };
            r.Subject!.Accounts = [Some.Account("u-a")];
            r.Subject.Meeting!.Chat = [new ChatMessage { AccountId = "u-host", SentAt = Some.MeetingStart, Text = "hi" }];
            r.Subject.Meeting.Tags = ["a", null!];
            r.Evidence =
            [
                new Core.Contract.Evidence
                {
                    EvidenceId = "e1", Kind = "screenshot", FileName = "x.png", MediaType = "image/png", Sha256 = new string('a', 64), SizeBytes = 9_000_000_000,
                    ClaimedCapturedAt = new DateTimeOffset(2020, 6, 3, 20, 5, 1, 250, TimeSpan.FromHours(8)), ContentBase64 = "AAEC",
                    Metadata = new() { ["Make"] = "Apple", ["width"] = 1170L, ["ratio"] = 1.5, ["exposure"] = -0.0, ["big"] = 1e300, ["flash"] = false, ["none"] = null },
                },
            ];
        });
        var bytes = Encoding.UTF8.GetBytes(ContractJson.Serialize(report));
        var fast = ReportReader.ParseAcceptable(bytes);

        Assert.NotNull(fast);
        Assert.Equal(Verdict(Careful(bytes)), Verdict(fast!));
        Assert.Equal(ContractJson.Serialize(report), ContractJson.Serialize(fast!.Report!));
    }

    /// <summary>Inputs where the two readers could part: each must either be read the same or left to the careful reader.</summary>
    public static TheoryData<string> Edges() =>
    [
        Minimal,
        "\uFEFF" + Minimal,
        Minimal + "  \n\t",
        Minimal + "\u00A0",
        Minimal + " {}",
        Minimal + " // after",
        """{"reportId":"r-1",/* c */"receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z",}""",
        """{'reportId':'r-1','receivedAt':'2020-06-03T14:10:00Z'}""",
        """{reportId:"r-1","receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":"r-1","reportId":"r-2","receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","country":"DE"},"reporter":{"accountId":"v"}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","deviceIds":["a"],"deviceIds":["b"]}}""",
        """{"ReportId":"r-1","receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"REPORTID":"r-1","reportId":"r-2","receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"report\u0049d":"r-1","receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":"r-\ud800","receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","text":"lone \udc00 half"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","text":"nul \u0000 and \u001f"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","text":"raw	tab"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","text":"bad \x escape"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03 14:10:00Z"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00\u005A"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03t14:10:00z"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00.1234567890123456789012345678901234567890+08:00"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00.\u0031\u0032\u0033\u0034\u0035\u0036\u0037\u0038\u0039+08:00"}""",
        """{"reportId":"r-1","receivedAt":"2020-02-30T14:10:00Z"}""",
        """{"reportId":"r-1","receivedAt":20200603}""",
        """{"reportId":1,"receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":null,"receivedAt":"2020-06-03T14:10:00Z"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":-0}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":1.0}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":1e2}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":2147483648}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":012}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":"12"}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","emailVerified":"true"}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","deviceIds":"d-1"}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","deviceIds":["d-1",2]}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":["u"]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":null,"subject":null,"evidence":null}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":{}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[null,1]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"sizeBytes":9223372036854775808}]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"metadata":{"a":1,"a":2}}]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"metadata":{"a":{"b":1},"c":[1]}}]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"metadata":{"a":1e400,"b":-0,"c":12345678901234567890}}]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"metadata":{"a":0.1,"b":-7,"c":"2020:06:03 12:00:00","d":true}}]}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"kind":"meeting","meeting":{"meetingId":"m","participants":[{"accountId":"p","Ip":"1.2.3.4"}]}}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","future":{"a":[1,{"b":[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]}]}}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","future":NaN}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","$type":"System.Object"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","channel":"pigeon"}""",
        """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z""",
        """[{"reportId":"r-1"}]""",
        "null",
        "",
        "   ",
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void Edge_IsReadAsTheCarefulReaderReadsIt(string json) => AssertSameVerdict(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void BytesThatAreNotUtf8_InAFieldThatIsSkipped_AreStillRefused()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","future":"xx"}""");
        bytes[^3] = 0xFF;

        Assert.Null(ReportReader.ParseAcceptable(bytes));
        var parse = ReportReader.Parse(bytes);
        Assert.False(parse.Ok);
        Assert.Contains("not UTF-8", Assert.Single(parse.Errors).Message);
    }

    [Fact]
    public void Mutants_OfTheSamples_GetTheSameVerdictBothWays()
    {
        // Small edits of real reports: most break them (and must break them the same way), some stay acceptable.
        string[] snippets =
        [
            "\"", ",", ":", "{", "}", "[", "]", "null", "1", "-0", "1.0", "1e3", "true", "\"x\"", "{}", "[]", "/*c*/", " ", "\u00A0", "\\", "\\u",
            "\\ud800", "\\n", "\"reportId\":\"r-x\",", "\"ReportId\":\"r-x\",", "\"text\":\"dup\",", "\"metadata\":{\"a\":{\"b\":1}},", "\"a\":",
        ];
        var random = new Random(20200604);
        var samples = Samples();
        var acceptedFast = 0;
        for (var i = 0; i < 4000; i++)
        {
            var text = new StringBuilder(samples[random.Next(samples.Length)]);
            for (var edits = 1 + random.Next(3); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0: text.Remove(at, Math.Min(1 + random.Next(4), text.Length - at)); break;
                    case 1: text.Insert(at, snippets[random.Next(snippets.Length)]); break;
                    default: text[at] = snippets[random.Next(snippets.Length)][0]; break;
                }
            }
            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            Assert.True(Verdict(Careful(bytes)) == Verdict(ReportReader.Parse(bytes)), $"verdicts differ for: {text}");
            if (ReportReader.ParseAcceptable(bytes) is not null) acceptedFast++;
        }
        // Edits inside free text keep a report acceptable: the fast path must have read some of the mutants itself.
        Assert.True(acceptedFast > 100, $"only {acceptedFast} mutants were read straight from their bytes");
    }
}
