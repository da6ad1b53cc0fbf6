using EvidenceCheck.Cli.Commands;
using EvidenceCheck.Core.Contract;
using Newtonsoft.Json.Linq;

namespace EvidenceCheck.Cli.Tests;

public class ScoreCommandTests
{
    private static string Root => EvidenceCheck.Testing.RepositoryRoot.Folder;

    private static async Task<(int Exit, string Out, string Err)> Run(string stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await Program.RunAsync(args, new CliIo(new StringReader(stdin), output, error, ErrorIsTerminal: false), CancellationToken.None);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task Score_SamplesFile_WritesOneScorePerReportInOrder()
    {
        var samples = Path.Combine(Root, "samples", "reports.jsonl");
        var (exit, output, error) = await Run("", "score", samples, "--no-campaigns");
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        var ids = File.ReadLines(samples).Select(l => (string)JObject.Parse(l)["reportId"]!).ToArray();
        var scores = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JObject.Parse).ToArray();
        Assert.Equal(ids, scores.Select(s => (string)s["reportId"]!));
        foreach (var s in scores)
        {
            Assert.InRange((double)s["score"]!, 0, 1);
            Assert.Contains((string)s["level"]!, new[] { "low", "medium", "high" });
            Assert.NotNull(s["flagged"]);
            Assert.NotNull(s["reasons"]);
            Assert.StartsWith("fasttree-", (string)s["modelVersion"]!); // the shipped model, out of the box
        }
    }

    [Fact]
    public async Task Score_WithCampaigns_RescoresEarlierMembersWithTheCampaign()
    {
        var samples = Path.Combine(Root, "samples", "reports.jsonl");
        var (exit, output, _) = await Run("", "score", samples);
        Assert.Equal(0, exit);
        var scores = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(JObject.Parse).ToArray();
        var ids = File.ReadLines(samples).Select(l => (string)JObject.Parse(l)["reportId"]!).ToArray();
        // First appearances keep input order; later lines for an id supersede earlier ones.
        Assert.Equal(ids, scores.Select(s => (string)s["reportId"]!).Distinct());
        var last = scores.GroupBy(s => (string)s["reportId"]!).ToDictionary(g => g.Key, g => g.Last());
        var seedCampaign = (string?)last["r-seed-01"]["campaign"]?["campaignId"];
        Assert.NotNull(seedCampaign);
        Assert.Equal(seedCampaign, (string?)last["r-seed-02"]["campaign"]?["campaignId"]);
        Assert.Contains(last["r-seed-01"]["reasons"]!, r => ((string)r["signal"]!).StartsWith("campaign.", StringComparison.Ordinal));
        Assert.True(scores.Count(s => (string)s["reportId"]! == "r-seed-01") > 1, "r-seed-01 is scored again when its campaign grows");
        Assert.All(ids.Where(i => i.StartsWith("r-gen", StringComparison.Ordinal)), id => Assert.False((bool)last[id]["flagged"]!, id));
    }

    [Fact]
    public async Task Score_BadLines_AreReportedWithLineAndPathWhileGoodLinesAreScored()
    {
        var good = File.ReadLines(Path.Combine(Root, "samples", "reports.jsonl")).First();
        var input = string.Join('\n',
            good,
            """{"reportId":"r-x","receivedAt":"not a time"}""",
            "",
            "{broken json",
            """{"reportId":"r-y","receivedAt":"2020-06-03T14:10:00Z","reporter":{"accountId":"u","meetingsAttended":"many"}}""",
            good.Replace("r-seed-01", "r-last"));
        var (exit, output, error) = await Run(input, "score", "-");
        Assert.Equal(1, exit);
        Assert.Equal(["r-seed-01", "r-last"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string)JObject.Parse(l)["reportId"]!));
        Assert.Contains("line 2: receivedAt: not a timestamp", error);
        Assert.Contains("line 4: malformed JSON", error);
        Assert.Contains("line 5: reporter.meetingsAttended: expected a whole number", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Score_FileWithALineThatIsNotUtf8_RefusesThatLineWithItsNumber_AndScoresTheRest()
    {
        // Before, the Latin-1 é became U+FFFD and the report was scored under an id nobody sent.
        var good = File.ReadLines(Path.Combine(Root, "samples", "reports.jsonl")).First();
        var latin1 = System.Text.Encoding.UTF8.GetBytes(good.Replace("r-seed-01", "r-cafX")).Select(b => b == (byte)'X' ? (byte)0xE9 : b);
        var path = Path.Combine(Path.GetTempPath(), $"ec-latin1-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllBytesAsync(path, [.. "\uFEFF"u8, .. System.Text.Encoding.UTF8.GetBytes(good + "\n"), .. latin1, (byte)'\n', .. System.Text.Encoding.UTF8.GetBytes(good.Replace("r-seed-01", "r-last"))]);
        try
        {
            var (exit, output, error) = await Run("", "score", path, "--no-campaigns");
            Assert.Equal(1, exit);
            Assert.Equal(["r-seed-01", "r-last"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string)JObject.Parse(l)["reportId"]!));
            Assert.Contains("line 2: not UTF-8 at column", error);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Score_OverlongLine_IsRefusedAndTheRestScored()
    {
        var good = File.ReadLines(Path.Combine(Root, "samples", "reports.jsonl")).First();
        var input = new string('x', 50_000) + "\n" + good + "\n";
        var (exit, output, error) = await Run(input, "score", "--max-line-chars", "40000");
        Assert.Equal(1, exit);
        Assert.Contains("line 1: line is 50,000 characters long; the limit is 40,000", error);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Score_Explain_PrintsVerdictAndReasonsForAPerson()
    {
        var (exit, output, _) = await Run("", "score", Path.Combine(Root, "samples", "reports.jsonl"), "--explain");
        Assert.Equal(0, exit);
        Assert.Contains("r-seed-04  HIGH", output);
        Assert.Contains("FLAGGED for review", output);
        Assert.Contains("35 minutes after the meeting ended", output);
        Assert.Contains("r-gen-01  LOW", output);
        // Evidence files are read: the back-dated Photoshop screenshot and the forged email are called out.
        Assert.Contains("evidence.capturedOutsideMeeting", output);
        Assert.Contains("evidence.emailDateVsReceived", output);
    }

    [Fact]
    public async Task Score_Rules_UsesTheDocumentedCombination()
    {
        var (exit, output, _) = await Run("", "score", Path.Combine(Root, "samples", "reports.jsonl"), "--rules", "--no-campaigns");
        Assert.Equal(0, exit);
        Assert.All(output.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Equal("rules-v1", (string)JObject.Parse(l)["modelVersion"]!));
    }

    [Fact]
    public async Task Score_ModelForAnotherLayout_IsRefusedWithTheReason()
    {
        var (exit, _, error) = await Run("", "score", "--model", Path.Combine(Root, "samples", "report.schema.json"));
        Assert.Equal(2, exit);
        Assert.Contains("report.schema.json", error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public async Task Score_MissingFile_IsAUsageErrorNotACrash()
    {
        var (exit, _, error) = await Run("", "score", "/no/such/file.jsonl");
        Assert.Equal(2, exit);
        Assert.Contains("not found", error);
    }

    [Fact]
    public async Task Score_BadConfig_NamesTheProblem()
    {
        var config = Path.GetTempFileName();
        File.WriteAllText(config, """{"HighThreshold": 2, "FlagTreshold": 0.4}""");
        var (exit, _, error) = await Run("", "score", "--config", config);
        Assert.Equal(2, exit);
        Assert.Contains("FlagTreshold", error);
        File.WriteAllText(config, """{"HighThreshold": 2}""");
        (exit, _, error) = await Run("", "score", "--config", config);
        Assert.Equal(2, exit);
        Assert.Contains("HighThreshold must be between 0 and 1", error);
    }

    [Fact]
    public async Task Unknown_CommandOrOption_IsAUsageError()
    {
        Assert.Equal(2, (await Run("", "frobnicate")).Exit);
        var (exit, _, error) = await Run("", "score", "--fast");
        Assert.Equal(2, exit);
        Assert.Contains("unknown option --fast", error);
    }
}

public class JsonLinesReaderTests
{
    [Fact]
    public void Read_SkipsBlankLinesKeepsNumbersAndStripsCarriageReturns()
    {
        var lines = JsonLinesReader.Read(new StringReader("{\"a\":1}\r\n\r\n   \n{\"b\":2}")).ToArray();
        Assert.Equal([(1, "{\"a\":1}"), (4, "{\"b\":2}")], lines.Select(l => (l.Number, l.Text!)));
    }

    [Fact]
    public void Read_LineSpanningBuffers_IsWhole()
    {
        var big = "{\"t\":\"" + new string('y', 200_000) + "\"}";
        var line = Assert.Single(JsonLinesReader.Read(new StringReader(big + "\n")));
        Assert.Equal(big, line.Text);
    }

    [Fact]
    public void Read_TooLongLine_IsReportedAndSkippedToItsEnd()
    {
        var lines = JsonLinesReader.Read(new StringReader(new string('z', 100_000) + "\n{}\n"), maxLineChars: 1000).ToArray();
        Assert.NotNull(lines[0].Error);
        Assert.Null(lines[0].Text);
        Assert.Equal((2, "{}"), (lines[1].Number, lines[1].Text!));
    }
}
