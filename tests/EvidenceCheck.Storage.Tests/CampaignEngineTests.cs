using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;

namespace EvidenceCheck.Storage.Tests;

/// <summary>The campaign logic over memory, as the command line runs it over a file.</summary>
public class CampaignEngineTests
{
    /// <summary>Reports scored as the command line scores a file: in order, earlier members re-scored as campaigns grow; the last score of each.</summary>
    internal static (List<ScoreResult> Final, InMemoryCampaignIndex Index) ScoreFile(IEnumerable<Report> reports) => ScoreFile(reports, []);

    /// <param name="first">Receives each report's first score (before any campaign re-scored it), in file order.</param>
    internal static (List<ScoreResult> Final, InMemoryCampaignIndex Index) ScoreFile(IEnumerable<Report> reports, List<ScoreResult> first)
    {
        var scorer = TempStore.NewScorer();
        var index = new InMemoryCampaignIndex(scorer.Options);
        var latest = new Dictionary<string, ScoreResult>();
        var order = new List<string>();
        foreach (var report in reports)
        {
            var evidence = scorer.Inspect(report);
            var seen = index.Observe(report, evidence);
            latest[report.ReportId] = scorer.Score(report, seen.Context, evidence);
            first.Add(latest[report.ReportId]);
            order.Add(report.ReportId);
            foreach (var again in index.Rescore(seen))
                latest[again.Report.ReportId] = scorer.Score(again.Report, again.Context, again.Evidence);
        }
        return (order.Select(id => latest[id]).ToList(), index);
    }

    [Fact]
    public void SeedPattern_FedInOrder_EveryMemberEndsFlaggedInOneCampaign()
    {
        var (final, index) = ScoreFile(Some.SeedCampaign(10, "m-seed"));

        Assert.All(final, s => Assert.True(s.Flagged, $"{s.ReportId} scored {s.Score}"));
        var campaignIds = final.Select(s => s.Campaign?.CampaignId).Distinct().ToArray();
        Assert.Single(campaignIds);
        Assert.NotNull(campaignIds[0]);
        Assert.Equal(10, final[^1].Campaign!.Reports);
        Assert.Contains(CampaignEngine.SharedNetwork, final[^1].Campaign!.Links);
        Assert.Contains(CampaignEngine.NearDuplicateText, final[^1].Campaign!.Links);
        Assert.NotEmpty(index.Links);
    }

    [Fact]
    public void Rescore_GivesBackEachEarlierReport_ExactlyAsObserved()
    {
        // However the index keeps reports for re-scoring, what comes back must be the report that went in.
        var scorer = TempStore.NewScorer();
        var index = new InMemoryCampaignIndex(scorer.Options);
        var reports = Some.SeedCampaign(6, "m-packed");
        var given = reports.ToDictionary(r => r.ReportId, r => ContractJson.Serialize(r));
        var rescored = 0;
        foreach (var report in reports)
            foreach (var again in index.Rescore(index.Observe(report, scorer.Inspect(report))))
            {
                Assert.Equal(given[again.Report.ReportId], ContractJson.Serialize(again.Report));
                rescored++;
            }
        Assert.True(rescored >= reports.Count - 1, $"only {rescored} re-scores");
    }

    [Fact]
    public void SeedPattern_CampaignId_IsNamedAfterItsFirstMember()
    {
        var (final, _) = ScoreFile(Some.SeedCampaign(5, "m-stable"));

        Assert.Equal(CampaignEngine.CampaignIdFor("m-stable-fake-00"), final[0].Campaign!.CampaignId);
    }

    [Fact]
    public void GenuineRaid_ManyRealParticipants_IsNotAFabricatedCampaign()
    {
        var (final, index) = ScoreFile(Some.GenuineRaid(25, "m-raid"));

        Assert.All(final, s => Assert.False(s.Flagged, $"{s.ReportId} scored {s.Score}"));
        Assert.All(final, s => Assert.Null(s.Campaign));
        Assert.Empty(index.Links);
        // Who reported speaks for them: established, present reporters push the score down.
        Assert.Contains(final[^1].Reasons, r => r.Signal == "campaign.shareAttended" && r.Contribution < 0);
    }

    [Fact]
    public void SeedPattern_HiddenInsideAGenuineRaid_StillFormsItsOwnCampaign()
    {
        var raid = Some.GenuineRaid(20, "m-mixed");
        var fakes = Some.SeedCampaign(6, "m-mixed");
        var (final, _) = ScoreFile(raid.Concat(fakes));

        Assert.All(final.Take(20), s => Assert.Null(s.Campaign));
        Assert.Single(final.Skip(20).Select(s => s.Campaign?.CampaignId).Distinct());
        Assert.Equal(6, final[^1].Campaign!.Reports);
    }

    [Fact]
    public void SameScriptAndFileAcrossMeetings_MergesIntoTheOlderCampaign()
    {
        // The seed's conspirators reported many meetings with the same material: one campaign, not one per meeting.
        var first = Some.SeedCampaign(4, "m-first");
        var second = Some.SeedCampaign(4, "m-second", seed: 3);
        var (final, _) = ScoreFile(first.Concat(second));

        Assert.Single(final.Select(s => s.Campaign!.CampaignId).Distinct());
        Assert.Equal(CampaignEngine.CampaignIdFor("m-first-fake-00"), final[^1].Campaign!.CampaignId);
        Assert.Equal(8, final[^1].Campaign!.Reports);
    }

    [Fact]
    public void Context_SharedDeviceAcrossAccounts_IsCountedAndLinks()
    {
        var a = Some.Report("a", r => r.ReporterSession = new ReporterSession { DeviceId = "shared-phone" });
        var b = Some.Report("b", r => r.ReporterSession = new ReporterSession { DeviceId = "shared-phone" });
        var scorer = TempStore.NewScorer();
        var index = new InMemoryCampaignIndex(scorer.Options);

        index.Observe(a);
        var seen = index.Observe(b);

        Assert.Equal(1, seen.Context.ReportersSharingDevice);
        Assert.Equal([CampaignEngine.SharedDevice], seen.Context.Campaign!.Links);
        Assert.Equal(["a"], seen.Rescore);
    }

    [Fact]
    public void Observe_SameReportIdTwice_IsNotCountedTwice()
    {
        var scorer = TempStore.NewScorer();
        var index = new InMemoryCampaignIndex(scorer.Options);
        var report = Some.Report("once");

        index.Observe(report);
        var again = index.Observe(report);

        Assert.Equal(0, again.Context.ReportsOnSubject);
        Assert.Empty(again.Rescore);
    }

    // A fabricated report about a June Fourth commemoration, as the seed's campaign would write it, a lightly edited copy,
    // and a participant's own account of the same meeting.
    private const string ChineseScript = "今晚的六四纪念会议上，主持人公开宣扬恐怖主义，鼓动参会者使用暴力袭击政府机构，还播放了血腥的暴力视频。请立即关闭这个会议并封禁主持人的账号。";
    private const string ChineseCopy = "今晚的六四纪念会议上，主持人公开宣扬恐怖主义，鼓动参会者用暴力袭击政府机构，还播放了血腥的暴力视频。请马上关闭这个会议并封禁主持人的账号！";
    private const string ChineseOwnWords = "我参加了纪念天安门事件的线上活动，大家只是在悼念遇难者，分享历史照片和自己的回忆，没有任何人谈论暴力或者恐怖主义。";

    // Chinese and Japanese have no spaces: a sentence used to be one "word", so these reports were too short to compare,
    // and any edit changed a word whole.
    [Theory]
    [InlineData(
        "the host of this meeting is spreading terrorist propaganda and recruiting people to join an extremist group",
        "the host of this meeting is sharing terrorist propaganda and recruiting people to join an extremist group",
        "a stranger joined and kept shouting insults at the elderly speakers until the host removed him")]
    [InlineData(ChineseScript, ChineseCopy, ChineseOwnWords)]
    [InlineData(
        "この会議の主催者はテロを宣伝し、参加者に暴力的な攻撃を呼びかけています。すぐに会議を停止して、主催者のアカウントを削除してください。",
        "この会議の主催者はテロを宣伝し、参加者に暴力的な攻撃を呼びかけています。今すぐ会議を停止して、主催者のアカウントを削除してください。",
        "追悼の集まりに参加しましたが、皆で犠牲者を偲び、当時の写真と思い出を語り合っただけで、暴力の話は一切ありませんでした。")]
    public void TextSignature_LightlyEditedCopy_IsNearDuplicate_OwnWordsAreNot(string script, string copy, string own)
    {
        var s = TextSignature.Of(script, 8)!;
        Assert.True(TextSignature.Similarity(s, TextSignature.Of(copy, 8)!) >= 0.6);
        Assert.True(TextSignature.Similarity(s, TextSignature.Of(own, 8)!) < 0.2);
    }

    [Fact]
    public void TextSignature_ShortText_IsNotCompared()
    {
        Assert.Null(TextSignature.Of("too short to compare", 8));
        // Two Chinese characters count as one word towards the minimum: these eight are four.
        Assert.Null(TextSignature.Of("会议宣扬恐怖主义", 8));
    }

    [Fact]
    public void ChineseScript_ReusedAcrossMeetings_ByUnlinkedAccounts_IsLinkedByItsText()
    {
        // Different meetings, accounts, networks and devices, no shared files: only the wording ties them together.
        static Report Writing(string meetingId, int seed, string text)
        {
            var report = Some.SeedCampaign(1, meetingId, seed)[0];
            report.Text = text;
            report.Evidence = null;
            return report;
        }
        var first = Writing("m-cn-a", 7, ChineseScript);
        var second = Writing("m-cn-b", 11, ChineseCopy);
        var honest = Writing("m-cn-c", 13, ChineseOwnWords);

        var (final, _) = ScoreFile([first, second, honest]);

        Assert.NotNull(final[1].Campaign);
        Assert.Contains(CampaignEngine.NearDuplicateText, final[1].Campaign!.Links);
        Assert.Equal(final[0].Campaign?.CampaignId, final[1].Campaign!.CampaignId);
        Assert.Null(final[2].Campaign);
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:203.0.113.77", "203.0.113.0/24")]
    [InlineData("2001:db8:1234:5678::1", "2001:db8:1234::/48")]
    [InlineData("not an address", null)]
    public void NetworkRange_GroupsAddressesBySite(string address, string? expected) =>
        Assert.Equal(expected, NetworkRange.Of(address));
}
