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

    [Fact]
    public void TextSignature_LightlyEditedCopy_IsNearDuplicate_OwnWordsAreNot()
    {
        var script = "the host of this meeting is spreading terrorist propaganda and recruiting people to join an extremist group";
        var copy = script.Replace("spreading", "sharing");
        var own = "a stranger joined and kept shouting insults at the elderly speakers until the host removed him";

        var s = TextSignature.Of(script, 8)!;
        Assert.True(TextSignature.Similarity(s, TextSignature.Of(copy, 8)!) >= 0.6);
        Assert.True(TextSignature.Similarity(s, TextSignature.Of(own, 8)!) < 0.2);
        Assert.Null(TextSignature.Of("too short to compare", 8));
    }

    [Theory]
    [InlineData("203.0.113.77", "203.0.113.0/24")]
    [InlineData("::ffff:203.0.113.77", "203.0.113.0/24")]
    [InlineData("2001:db8:1234:5678::1", "2001:db8:1234::/48")]
    [InlineData("not an address", null)]
    public void NetworkRange_GroupsAddressesBySite(string address, string? expected) =>
        Assert.Equal(expected, NetworkRange.Of(address));
}
