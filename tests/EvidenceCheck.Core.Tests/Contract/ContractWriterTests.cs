using System.Numerics;
using System.Text;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Testing;

namespace EvidenceCheck.Core.Tests.Contract;

/// <summary>
/// The direct writer's bytes are a stored report's content hash: they must be Json.NET's, encoded, for every report,
/// or a resubmission of a report stored before would be refused as a conflict.
/// </summary>
public class ContractWriterTests
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>What the store hashed before the direct writer: Json.NET's text, UTF-8 encoded.</summary>
    private static string JsonNet(Report report) => Convert.ToHexString(Utf8.GetBytes(ContractJson.Serialize(report)));

    /// <summary>Written directly (asserted: not handed to Json.NET) and equal to Json.NET's bytes.</summary>
    private static void AssertWrittenDirectlyAsJsonNetDoes(Report report)
    {
        var direct = ContractWriter.TryToUtf8(report);
        Assert.NotNull(direct);
        Assert.Equal(JsonNet(report), Convert.ToHexString(direct!));
        Assert.Equal(JsonNet(report), Convert.ToHexString(ContractWriter.ToUtf8(report)));
    }

    private static Report Read(string json) => ReportReader.Parse(json).Report ?? throw new InvalidOperationException(json);

    private static string[] Samples() => File.ReadAllLines(Path.Combine(RepositoryRoot.Folder, "samples", "reports.jsonl")).Where(l => l.Length > 0).ToArray();

    [Fact]
    public void Samples_AreWrittenAsJsonNetWritesThem()
    {
        foreach (var line in Samples()) AssertWrittenDirectlyAsJsonNetDoes(Read(line));
    }

    [Fact]
    public void EveryField_AndEveryKindOfNull_IsWrittenAsJsonNetWritesIt()
    {
        AssertWrittenDirectlyAsJsonNetDoes(new Report());
        AssertWrittenDirectlyAsJsonNetDoes(new Report { ReportId = null!, Reporter = new Account { AccountId = null! }, Evidence = [null!], Subject = new Subject() });
        var full = Some.Report(r =>
        {
            r.Channel = "in_app";
            r.Category = "terrorism";
            r.Text = "They said \"六四\" 🕯\n\t\\ end";
            r.Reporter = new Account
            {
                AccountId = "u-1", CreatedAt = Some.Received.AddMinutes(-3), DisplayName = "Zhou", Email = "z@example.com", EmailVerified = false,
                Country = "CN", MeetingsAttended = 0, ReportsFiled = int.MaxValue, ReportsUpheld = int.MinValue, SignupIp = "203.0.113.7",
                DeviceIds = ["d-1", null!, ""],
            };
            r.ReporterSession = new ReporterSession { Ip = "2001:db8::1", DeviceId = "d-1", Country = "US", UserAgent = "Mozilla/5.0 (X11) </script>" };
            r.Claims = new Claims { OccurredAt = Some.MeetingStart.AddMinutes(5), SpeakerAccountId = "u-host", Quote = "\u2028\u2029\u0085\u007f" };
            r.Subject!.Accounts = [Some.Account("u-a"), null!];
            r.Subject.Meeting!.Tags = ["june4", null!];
            r.Subject.Meeting.Chat = [new ChatMessage { AccountId = null, SentAt = Some.MeetingStart, Text = "hi" }, null!];
            r.Subject.Meeting.Participants!.Add(null!);
            r.Evidence =
            [
                new Core.Contract.Evidence
                {
                    EvidenceId = "e1", Kind = "screenshot", FileName = "x.png", MediaType = "image/png", Sha256 = new string('a', 64), SizeBytes = long.MaxValue,
                    ClaimedCapturedAt = new DateTimeOffset(2020, 6, 3, 20, 5, 1, 250, TimeSpan.FromHours(8)), ContentBase64 = "AAEC",
                    Metadata = new()
                    {
                        ["Make"] = "Apple", ["width"] = 1170L, ["height"] = 7, ["ratio"] = 1.5, ["exposure"] = -0.0, ["big"] = 1e300, ["tiny"] = double.Epsilon,
                        ["whole"] = 3.0, ["huge"] = 123456789012345678.0, ["max"] = double.MaxValue, ["min"] = long.MinValue, ["flash"] = false, ["on"] = true,
                        ["none"] = null, ["URLValue"] = "u", ["GPS Latitude"] = 1.25, ["ÉCOLE"] = "", ["İstanbul"] = "i", ["a\"b\n"] = "k", ["X"] = -1.5e-10,
                    },
                },
                new Core.Contract.Evidence(),
                new Core.Contract.Evidence { Metadata = [] },
            ];
        });
        AssertWrittenDirectlyAsJsonNetDoes(full);
    }

    [Fact]
    public void Timestamps_OfEveryShape_AreWrittenAsJsonNetWritesThem()
    {
        DateTimeOffset[] times =
        [
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new(1, 1, 1, 14, 0, 0, TimeSpan.FromHours(14)), new(999, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new(2020, 6, 4, 0, 0, 0, TimeSpan.FromMinutes(-570)), new(2020, 6, 4, 0, 0, 0, TimeSpan.FromMinutes(345)),
            new DateTimeOffset(2020, 6, 4, 1, 2, 3, TimeSpan.Zero).AddTicks(1), new DateTimeOffset(2020, 6, 4, 1, 2, 3, TimeSpan.Zero).AddTicks(1_000_000),
            new DateTimeOffset(2020, 6, 4, 1, 2, 3, TimeSpan.FromHours(-14)).AddTicks(9_999_999),
        ];
        foreach (var t in times)
            AssertWrittenDirectlyAsJsonNetDoes(new Report { ReportId = "r", ReceivedAt = t, Claims = new Claims { OccurredAt = t } });
    }

    [Fact]
    public void EveryUtf16CodeUnit_AloneAndBetweenOthers_IsEscapedAndEncodedAsJsonNetDoes()
    {
        // Lone surrogates included: both ways they become U+FFFD.
        for (var c = 0; c <= 0xFFFF; c++)
        {
            var ch = (char)c;
            AssertWrittenDirectlyAsJsonNetDoes(new Report { ReportId = ch.ToString(), Text = $"a{ch}b", Category = $"{ch}{ch}\uD83D\uDD6F{ch}" });
        }
    }

    [Fact]
    public void SurrogatesInEveryArrangement_AreEncodedAsJsonNetDoes()
    {
        string[] texts =
        [
            "\uD83D\uDD6F", "\uD83D", "\uDD6F", "\uDD6F\uD83D", "x\uD83D", "\uD83D\"", "\uD83D\n\uDD6F", "\uD83D\u2028\uDD6F", "\uD83D\uD83D\uDD6F",
            new string('a', 16 * 1024 - 1) + "\uD83D\uDD6F" + "b", new string('a', 16 * 1024) + "\uD83D\uDD6F", new string('\uD83D', 40_000),
        ];
        foreach (var t in texts) AssertWrittenDirectlyAsJsonNetDoes(new Report { ReportId = "r", Text = t, Evidence = [new Core.Contract.Evidence { Metadata = new() { [t] = t } }] });
    }

    [Fact]
    public void RandomReports_AreWrittenAsJsonNetWritesThem()
    {
        var random = new Random(19890604);
        string? Text()
        {
            if (random.Next(6) == 0) return null;
            var chars = new char[random.Next(12)];
            for (var i = 0; i < chars.Length; i++)
                chars[i] = random.Next(4) switch { 0 => (char)random.Next(0x20), 1 => (char)random.Next(0xD800, 0xE000), 2 => (char)random.Next(0x10000), _ => (char)random.Next(0x20, 0x80) };
            return new string(chars);
        }
        DateTimeOffset? Time() => random.Next(5) == 0 ? null
            : new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromMinutes(random.Next(-840, 841)));
        object? Value() => random.Next(7) switch
        {
            0 => null, 1 => Text(), 2 => random.NextInt64(long.MinValue, long.MaxValue), 3 => random.Next(2) == 0,
            4 => BitConverter.Int64BitsToDouble(random.NextInt64()) is var d && double.IsFinite(d) ? d : 0.5, 5 => random.NextDouble() * 1000, _ => (double)random.Next(),
        };
        for (var n = 0; n < 3000; n++)
        {
            var report = new Report
            {
                ReportId = Text()!, ReceivedAt = Time(), Channel = Text(), Category = Text(), Text = Text(),
                Reporter = random.Next(3) == 0 ? null : new Account { AccountId = Text()!, CreatedAt = Time(), DisplayName = Text(), MeetingsAttended = random.Next(3) == 0 ? null : random.Next(int.MinValue, int.MaxValue), EmailVerified = random.Next(3) == 0 ? null : random.Next(2) == 0, DeviceIds = random.Next(2) == 0 ? null : [Text()!, Text()!] },
                Subject = random.Next(3) == 0 ? null : new Subject { Kind = Text(), Meeting = new Meeting { MeetingId = Text()!, Title = Text(), StartedAt = Time(), Participants = [new Participant { AccountId = Text()!, JoinedAt = Time(), Ip = Text() }] } },
                Evidence = random.Next(3) == 0 ? null : [new Core.Contract.Evidence { FileName = Text(), SizeBytes = random.Next(2) == 0 ? null : random.NextInt64(), ClaimedCapturedAt = Time(), Metadata = random.Next(3) == 0 ? null : new() { [Text() ?? "k"] = Value(), [Text() ?? "K"] = Value(), ["Z" + Text()] = Value() } }],
            };
            AssertWrittenDirectlyAsJsonNetDoes(report);
        }
    }

    [Fact]
    public void MetadataValuesWithoutARuleHere_AreWrittenByJsonNet_ToTheSameBytes()
    {
        object[] values = [double.NaN, double.PositiveInfinity, new BigInteger(ulong.MaxValue) * 3, 1.5m, new Newtonsoft.Json.Linq.JArray(1, "a"), new Newtonsoft.Json.Linq.JObject(), (short)3, 2.5f];
        foreach (var value in values)
        {
            var report = new Report { ReportId = "r", Evidence = [new Core.Contract.Evidence { Metadata = new() { ["v"] = value } }] };
            Assert.Null(ContractWriter.TryToUtf8(report));
            Assert.Equal(JsonNet(report), Convert.ToHexString(ContractWriter.ToUtf8(report)));
        }
    }

    [Fact]
    public void WithoutFiles_WritesTheContentAsNull_AndLeavesTheReportAsItWas()
    {
        var report = Some.Report(r => r.Evidence =
        [
            new Core.Contract.Evidence { Kind = "screenshot", ContentBase64 = "iVBORw0KGgo=", Metadata = new() { ["Make"] = "Apple" } },
            new Core.Contract.Evidence { Kind = "text", ContentBase64 = "aGk=" },
        ]);
        var before = ContractJson.Serialize(report);
        var stripped = ContractWriter.ToUtf8(report, withoutFiles: true);
        Assert.Equal(before, ContractJson.Serialize(report));
        foreach (var e in report.Evidence!) e.ContentBase64 = null;
        Assert.Equal(JsonNet(report), Convert.ToHexString(stripped));
        // And by Json.NET when the metadata needs it.
        var odd = Read(before);
        odd.Evidence![0].Metadata = new() { ["v"] = double.NaN };
        var oddStripped = ContractWriter.ToUtf8(odd, withoutFiles: true);
        Assert.NotNull(odd.Evidence[0].ContentBase64);
        foreach (var e in odd.Evidence) e.ContentBase64 = null;
        Assert.Equal(JsonNet(odd), Convert.ToHexString(oddStripped));
    }

    [Fact]
    public void LargeFiles_AreWrittenWhole_AndTheBufferDoesNotStayLarge()
    {
        var content = Convert.ToBase64String(new byte[3 * 1024 * 1024]);
        var report = new Report { ReportId = "r", Evidence = [new Core.Contract.Evidence { ContentBase64 = content }] };
        AssertWrittenDirectlyAsJsonNetDoes(report);
        AssertWrittenDirectlyAsJsonNetDoes(new Report { ReportId = "small" });
    }
}
