using System.Text;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;

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

        Assert.Equal(Encoding.UTF8.GetBytes(StoredJson.SerializeReport(report)), StoredJson.SerializeReportUtf8(report));
        Assert.Equal(Encoding.UTF8.GetBytes(StoredJson.Serialize(observed)), StoredJson.SerializeUtf8(observed));
    }

    [Fact]
    public void UTF8Output_OfWholeCampaigns_IsTheSameBytesAsTheStringEncoded()
    {
        foreach (var report in Some.SeedCampaign(20, "m-seed").Concat(Some.GenuineRaid(20, "m-raid")))
            Assert.Equal(Encoding.UTF8.GetBytes(StoredJson.SerializeReport(report)), StoredJson.SerializeReportUtf8(report));
    }
}
