using System.Text;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using Newtonsoft.Json;

namespace EvidenceCheck.Storage.Tests;

public class StoredJsonTests
{
    public static TheoryData<string> Texts => new()
    {
        "plain ascii",
        "Überfall im Meeting — «Gewalt» 六四 天安门 🕯️ ✊🏽",
        "quotes \" and backslashes \\ and controls \u0001\t\n",
        "a lone high surrogate \ud800 in the middle",
        "ends with a lone high surrogate \ud83d",
        new string('x', 20_000) + " long enough to cross the writer's buffer 🕯️",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void UTF8Output_IsTheSameBytesAsTheStringEncoded_SoContentHashesDoNotChange(string text)
    {
        // Stored reports are matched by the SHA-256 of these bytes: a resubmission must hash as it did when first stored.
        var report = Some.Report("r-utf8", r => r.Text = text);
        var observed = ObservedReport.From(report, new ScoringOptions(), new CampaignOptions());

        Assert.Equal(Encoding.UTF8.GetBytes(ContractJson.Serialize(report)), ContractWriter.ToUtf8(report));
        AssertReadsBackAsItWas(observed);
    }

    /// <summary>An observation's stored JSON, read back as the store reads it (Json.NET), is the observation it was.</summary>
    private static void AssertReadsBackAsItWas(ObservedReport observed)
    {
        var stored = Encoding.UTF8.GetString(StoredJson.SerializeUtf8(observed));
        Assert.Equal(JsonConvert.SerializeObject(observed, StoredJson.Settings), JsonConvert.SerializeObject(StoredJson.Deserialize<ObservedReport>(stored), StoredJson.Settings));
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Observations_WithEveryFieldSetOrLeftOut_ReadBackAsTheyWere(string text)
    {
        AssertReadsBackAsItWas(new ObservedReport { ReportId = "r-min", ReceivedAt = new DateTimeOffset(2020, 6, 3, 14, 10, 0, TimeSpan.Zero) });
        AssertReadsBackAsItWas(new ObservedReport
        {
            ReportId = "r-" + text, ReceivedAt = new DateTimeOffset(2020, 6, 3, 22, 10, 0, 250, TimeSpan.FromHours(8)).AddTicks(1234),
            Subject = "meeting:" + text, ReporterId = text, ReporterCreatedAt = new DateTimeOffset(2020, 6, 3, 21, 59, 59, TimeSpan.FromHours(-5.5)),
            ReporterNew = true, ReporterAttended = false, SessionNetwork = "203.0.113.0/24", SignupNetwork = "2001:db8::/48",
            Devices = ["d-1", text, ""], Files = [new string('a', 64)], TextSignature = "AAAA" + text,
        });
    }

    [Fact]
    public void UTF8Output_OfWholeCampaigns_IsTheSameBytesAsTheStringEncoded()
    {
        foreach (var report in Some.SeedCampaign(20, "m-seed").Concat(Some.GenuineRaid(20, "m-raid")))
            Assert.Equal(Encoding.UTF8.GetBytes(ContractJson.Serialize(report)), ContractWriter.ToUtf8(report));
    }
}

public class StoredFilesTests
{
    [Fact]
    public async Task InlineFiles_AreLeftOutOfTheStoredReport_WhileItsHashCoversThem()
    {
        using var store = new TempStore();
        var file = Convert.ToBase64String(Encoding.UTF8.GetBytes("a screenshot, allegedly"));
        Report Submitted() => Some.Report("r-file", r => r.Evidence = [new Evidence { Kind = "screenshot", FileName = "chat.png", ContentBase64 = file }]);

        var first = await store.Ledger.SubmitAsync(Submitted());
        var again = await store.Ledger.SubmitAsync(Submitted());

        Assert.Equal(SubmitStatus.Scored, first.Status);
        Assert.Equal(SubmitStatus.Unchanged, again.Status);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store.Options.DatabasePath};Mode=ReadOnly");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT report_json, content_hash FROM reports WHERE report_id = 'r-file'";
        using var row = cmd.ExecuteReader();
        Assert.True(row.Read());
        var stored = JsonConvert.DeserializeObject<Report>(row.GetString(0), ContractJson.ReadSettings)!;
        Assert.Equal("chat.png", stored.Evidence![0].FileName);
        Assert.Null(stored.Evidence[0].ContentBase64);
        var full = Encoding.UTF8.GetBytes(ContractJson.Serialize(Submitted()));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(full)), row.GetString(1));
    }
}
