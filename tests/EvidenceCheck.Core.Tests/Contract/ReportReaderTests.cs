using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Core.Tests.Contract;

public class ReportReaderTests
{
    private const string Minimal = """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z"}""";

    private static ContractError SingleError(string json)
    {
        var parse = ReportReader.Parse(json);
        Assert.False(parse.Ok);
        Assert.Null(parse.Report);
        return Assert.Single(parse.Errors);
    }

    [Fact]
    public void Read_MinimalReport_IsAcceptedWithEverythingElseUnknown()
    {
        var parse = ReportReader.Parse(Minimal);
        Assert.True(parse.Ok, string.Join("; ", parse.Errors));
        Assert.Equal("r-1", parse.Report!.ReportId);
        Assert.Null(parse.Report.Reporter);
        Assert.Null(parse.Report.Channel);
    }

    [Fact]
    public void Read_UnknownFields_AreIgnored()
    {
        var parse = ReportReader.Parse("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","futureField":{"x":[1,2]},"reporter":{"accountId":"u","shoeSize":44}}""");
        Assert.True(parse.Ok, string.Join("; ", parse.Errors));
    }

    [Fact]
    public void Read_IdsWithWholeSurrogatePairs_AndLoneSurrogatesInFreeText_AreAccepted()
    {
        var parse = ReportReader.Parse("""{"reportId":"r-\ud83d\ude00","receivedAt":"2020-06-03T14:10:00Z","text":"broken emoji \ud83d","reporter":{"accountId":"u-\ud83d\ude00"}}""");
        Assert.True(parse.Ok, string.Join("; ", parse.Errors));
        Assert.Equal("r-\U0001F600", parse.Report!.ReportId);
    }

    [Fact]
    public void Read_MissingOptionalBool_StaysUnknownNotFalse()
    {
        var parse = ReportReader.Parse("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u"}}""");
        Assert.Null(parse.Report!.Reporter!.EmailVerified);
        Assert.Null(parse.Report.Reporter.MeetingsAttended);
    }

    [Fact]
    public void Read_SampleReports_AllParse()
    {
        foreach (var line in File.ReadLines(TestFiles.Samples("reports.jsonl")))
        {
            var parse = ReportReader.Parse(line);
            Assert.True(parse.Ok, string.Join("; ", parse.Errors));
        }
    }

    [Theory]
    [InlineData("""{"reportId":"r-1","receivedAt":"yesterday"}""", "receivedAt", "not a timestamp")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00"}""", "receivedAt", "offset")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-13-03T14:10:00Z"}""", "receivedAt", "not a timestamp")]
    [InlineData("""{"reportId":"r-1","receivedAt":1591193400}""", "receivedAt", "expected a timestamp string")]
    [InlineData("""{"reportId":42,"receivedAt":"2020-06-03T14:10:00Z"}""", "reportId", "expected a string, got the number 42")]
    [InlineData("""{"reportId":"r-1"}""", "receivedAt", "required")]
    [InlineData("""{"receivedAt":"2020-06-03T14:10:00Z"}""", "reportId", "required")]
    [InlineData("""{"reportId":"","receivedAt":"2020-06-03T14:10:00Z"}""", "reportId", "required")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","channel":"carrier_pigeon"}""", "channel", "not one of")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","category":"TERRORISM"}""", "category", "not one of")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":"u-1"}""", "reporter", "expected an object")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"createdAt":"2020-06-03T14:10:00Z"}}""", "reporter.accountId", "required")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","emailVerified":"yes"}}""", "reporter.emailVerified", "expected true or false")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":2.5}}""", "reporter.meetingsAttended", "whole number")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":99999999999}}""", "reporter.meetingsAttended", "out of range")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","reportsFiled":1,"reportsUpheld":3}}""", "reporter.reportsUpheld", "greater than reportsFiled")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m","startedAt":"soon"}}}""", "subject.meeting.startedAt", "not a timestamp")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m","startedAt":"2020-06-03T14:00:00Z","endedAt":"2020-06-03T13:00:00Z"}}}""", "subject.meeting.endedAt", "before startedAt")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m","participants":{"accountId":"u"}}}}""", "subject.meeting.participants", "expected an array")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m","participants":{}}}}""", "subject.meeting.participants", "expected an array")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m","participants":[{"accountId":"a"},{"joinedAt":"2020-06-03T14:00:00Z"}]}}}""", "subject.meeting.participants[1].accountId", "required")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"kind":"meeting","meeting":{"meetingId":"m","tags":["a",7]}}}""", "subject.meeting.tags[1]", "expected a string")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"kind":"hologram"}]}""", "evidence[0].kind", "not one of")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","evidence":[{"kind":"photo","sizeBytes":-5}]}""", "evidence[0].sizeBytes", "negative")]
    // Half a surrogate pair in an id: the reader makes it U+FFFD, so two different ids would become one.
    [InlineData("""{"reportId":"r-\ud800","receivedAt":"2020-06-03T14:10:00Z"}""", "reportId", "U+FFFD at character 3")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"\udc00u"}}""", "reporter.accountId", "U+FFFD at character 1")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m\ud83d"}}}""", "subject.meeting.meetingId", "U+FFFD")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"meeting":{"meetingId":"m","participants":[{"accountId":"a\ud800b"}]}}}""", "subject.meeting.participants[0].accountId", "U+FFFD")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","subject":{"accounts":[{"accountId":"\ud800"}]}}""", "subject.accounts[0].accountId", "U+FFFD")]
    public void Read_InvalidField_NamesItsPath(string json, string path, string message)
    {
        var error = SingleError(json);
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
        Assert.DoesNotContain("EvidenceCheck.", error.Message);
        Assert.DoesNotContain("   at ", error.Message);
    }

    [Theory]
    [InlineData("""{"reportId":"r-1","receivedAt":""", "malformed JSON")]
    [InlineData("""{"reportId":"x1",""", "malformed JSON")]
    [InlineData("""{"reportId":"r-1",,}""", "malformed JSON")]
    [InlineData("""{"reportId":'r-1' "x":1}""", "malformed JSON")]
    [InlineData("""[{"reportId":"r-1"}]""", "expected a report object, got an array")]
    [InlineData("\"just a string\"", "expected a report object")]
    [InlineData("null", "expected a report object")]
    [InlineData("""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z"} {"reportId":"r-2"}""", "unexpected content after the report")]
    public void Read_MalformedJson_GivesOneClearError(string json, string message)
    {
        var error = SingleError(json);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Read_MalformedJson_SaysWhere()
    {
        var error = SingleError("""{"reportId":"r-1", "receivedAt": "2020-06-03T14:10:00Z", "text": oops}""");
        Assert.Equal(1, error.Line);
        Assert.True(error.Position > 50, $"position {error.Position}");
    }

    [Theory]
    [InlineData("\"meetingsAttended\": \"many\"", "reporter.meetingsAttended")]
    [InlineData("\"emailVerified\": 1", "reporter.emailVerified")]
    [InlineData("\"accountId\": 42", "reporter.accountId")]
    [InlineData("\"createdAt\": 1591193400", "reporter.createdAt")]
    public void Read_WrongType_SaysWhere(string field, string path)
    {
        var json = "{\n  \"reportId\": \"r-1\",\n  \"receivedAt\": \"2020-06-03T14:10:00Z\",\n  \"reporter\": {\n    \"accountId\": \"u\",\n    " + field + "\n  }\n}";
        var error = Assert.Single(new ReportReader().Read(json).Errors, e => e.Path == path);
        Assert.Equal(6, error.Line);
        // Just past the value, as the reader's own errors say.
        Assert.Equal(4 + field.Length, error.Position);
    }

    [Fact]
    public void Read_DeeplyNestedJson_IsRefusedNotOverflowed()
    {
        var deep = """{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","x":""" + new string('[', 5000) + new string(']', 5000) + "}";
        var error = SingleError(deep);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Read_TooLongText_IsRefusedWithTheLength()
    {
        var json = $$"""{"reportId":"r-1","receivedAt":"2020-06-03T14:10:00Z","text":"{{new string('a', 20_001)}}"}""";
        var error = SingleError(json);
        Assert.Equal("text", error.Path);
        Assert.Contains("20001", error.Message);
    }

    [Fact]
    public void Read_SeveralProblems_AreAllReported()
    {
        var parse = ReportReader.Parse("""{"reportId":"r-1","receivedAt":"bad","channel":"fax","reporter":{"accountId":"u","emailVerified":1}}""");
        Assert.Equal(["channel", "receivedAt", "reporter.emailVerified"], parse.Errors.Select(e => e.Path).Order().ToArray());
    }

    [Fact]
    public void Read_TimestampWithOffset_KeepsTheInstant()
    {
        var parse = ReportReader.Parse("""{"reportId":"r-1","receivedAt":"2020-06-03T22:10:00+08:00"}""");
        Assert.Equal(new DateTimeOffset(2020, 6, 3, 14, 10, 0, TimeSpan.Zero), parse.Report!.ReceivedAt);
    }

    [Fact]
    public void Read_WrittenReport_RoundTrips()
    {
        var report = Some.Report();
        var parse = ReportReader.Parse(Some.Json(report));
        Assert.True(parse.Ok, string.Join("; ", parse.Errors));
        Assert.Equal(report.Subject!.Meeting!.Participants!.Count, parse.Report!.Subject!.Meeting!.Participants!.Count);
        Assert.Equal(report.Claims!.OccurredAt, parse.Report.Claims!.OccurredAt);
    }
}
