using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using Newtonsoft.Json.Linq;

namespace EvidenceCheck.Core.Tests.Scoring;

public class ReportScorerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 9, 0, 0, TimeSpan.Zero);

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Signal("test.throws", SignalFamily.Context)]
    private sealed class ThrowingDetector : ISignalDetector
    {
        public Signal? Detect(ReportContext context) => throw new InvalidOperationException("boom");
    }

    private static ReportScorer Scorer(DetectorCatalog? catalog = null, ScoringOptions? options = null) =>
        new(catalog ?? DetectorCatalog.Discover(), options ?? new ScoringOptions(), new FixedTime(Now));

    [Fact]
    public void Score_DetectorThrows_IsReportedAndScoringGoesOn()
    {
        var catalog = new DetectorCatalog(DetectorCatalog.Discover().Detectors
            .Append(new DetectorInfo("test.throws", SignalFamily.Context, 1, new ThrowingDetector())));
        var result = Scorer(catalog).Score(Some.Report(r => r.Reporter!.AccountId = "u-outsider"));
        var failed = Assert.Single(result.Reasons, r => r.Signal == "test.throws");
        Assert.Contains("failed", failed.Detail);
        Assert.Contains("boom", failed.Detail);
        Assert.Contains(result.Reasons, r => r.Signal == "reporter.attendance");
    }

    [Fact]
    public void Score_TimeIsInjected() => Assert.Equal(Now, Scorer().Score(Some.Report()).ScoredAt);

    [Fact]
    public void Score_Reasons_AreStrongestFirstAndAddUpToTheMovement()
    {
        var scorer = Scorer();
        var result = scorer.Score(Some.Report(r =>
        {
            r.Reporter!.AccountId = "u-outsider";
            r.Reporter.CreatedAt = Some.Received.AddMinutes(-30);
            r.Category = "terrorism";
        }));
        var contributions = result.Reasons.Select(r => Math.Abs(r.Contribution)).ToArray();
        Assert.Equal(contributions.OrderDescending(), contributions);
        var baseline = RuleBasedModel.Sigmoid(new ScoringOptions().RuleBias);
        Assert.Equal(result.Score - baseline, result.Reasons.Sum(r => r.Contribution), 1);
        Assert.All(result.Reasons, r => Assert.False(string.IsNullOrWhiteSpace(r.Detail)));
    }

    [Fact]
    public void Score_GenuineLookingReport_IsLowAndNotFlagged()
    {
        var result = Scorer().Score(Some.Report(r => r.Subject!.Meeting!.StartedAt = Some.MeetingStart));
        Assert.False(result.Flagged);
        Assert.Equal("low", result.Level);
    }

    [Fact]
    public void Score_LevelsFollowConfiguredThresholds()
    {
        var report = Some.Report(r => r.Reporter!.AccountId = "u-outsider");
        var score = Scorer().Score(report).Score;
        var strict = Scorer(options: new ScoringOptions { FlagThreshold = score / 2, MediumThreshold = score / 2, HighThreshold = score / 1.5 }).Score(report);
        Assert.True(strict.Flagged);
        Assert.Equal("high", strict.Level);
    }

    [Fact]
    public void Scorer_ModelForAnotherLayout_IsRefused()
    {
        var other = new DetectorCatalog(DetectorCatalog.Discover().Detectors.Skip(1));
        var model = new RuleBasedModel(other, new ScoringOptions());
        var e = Assert.Throws<InvalidOperationException>(() => new ReportScorer(DetectorCatalog.Discover(), new ScoringOptions(), new FixedTime(Now), model));
        Assert.Contains("different feature layout", e.Message);
    }

    [Fact]
    public void Scorer_InvalidOptions_AreRefusedAtStart()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Scorer(options: new ScoringOptions { MediumThreshold = 0.9, HighThreshold = 0.5, AtRiskDates = ["June 4"] }));
        Assert.Contains("MediumThreshold", e.Message);
        Assert.Contains("June 4", e.Message);
    }

    [Fact]
    public void Catalog_DiscoversEveryFamilyWithUniqueNames()
    {
        var catalog = DetectorCatalog.Discover();
        Assert.Equal(catalog.FeatureNames.Count, catalog.FeatureNames.Distinct().Count());
        foreach (var family in new[] { SignalFamily.Reporter, SignalFamily.Accused, SignalFamily.Claims, SignalFamily.Context })
            Assert.Contains(catalog.Detectors, d => d.Family == family);
        Assert.All(catalog.FeatureNames, n => Assert.Matches(@"^[a-z]+\.[a-zA-Z]+$", n));
    }

    public static TheoryData<string> SampleIds() =>
        [.. File.ReadLines(TestFiles.Samples("labels.jsonl")).Select(l => (string)JObject.Parse(l)["reportId"]!)];

    [Theory]
    [MemberData(nameof(SampleIds))]
    public void Score_Samples_FlagSeedPatternAndSpareLookAlikes(string reportId)
    {
        var label = File.ReadLines(TestFiles.Samples("labels.jsonl")).Select(JObject.Parse).Single(l => (string)l["reportId"]! == reportId);
        var report = File.ReadLines(TestFiles.Samples("reports.jsonl")).Select(l => ReportReader.Parse(l).Report!).Single(r => r.ReportId == reportId);
        var result = Scorer().Score(report);
        if ((string)label["label"]! == "fabricated")
        {
            Assert.True(result.Flagged, $"{reportId} ({label["family"]}) scored {result.Score}");
            // The strongest reason is a contradiction with the platform's record, not merely the category.
            Assert.DoesNotContain(result.Reasons[0].Signal, new[] { "context.severeCategory", "context.atRiskMeeting" });
        }
        else
            Assert.False(result.Flagged, $"{reportId} ({label["family"]}) scored {result.Score}: {string.Join("; ", result.Reasons.Select(r => r.Detail))}");
    }
}

public class ScoreJsonTests
{
    [Fact]
    public void Write_HandWrittenJson_EqualsTheReflectionSerialiser()
    {
        var result = new ScoreResult
        {
            ReportId = "r-\"quoted\"", Score = 0.9123, Level = "high", Flagged = true, ModelVersion = "rules-v1",
            ScoredAt = new DateTimeOffset(2026, 11, 28, 9, 0, 0, 123, TimeSpan.Zero),
            Reasons = [new Reason { Signal = "a.b", Value = null, Unit = null, Contribution = -0.25, Detail = "ü \n x" }, new Reason { Signal = "c.d", Value = 2.5, Unit = "days", Contribution = 0.5, Detail = "d" }],
            Campaign = new CampaignSummary { CampaignId = "c-1", Reports = 3, Reporters = 2, Links = ["sharedIp"] },
        };
        Assert.True(JToken.DeepEquals(JToken.Parse(ContractJson.Serialize(result)), JToken.Parse(ScoreJson.ToJson(result))),
            ContractJson.Serialize(result) + "\n" + ScoreJson.ToJson(result));
        result.Campaign = null;
        Assert.True(JToken.DeepEquals(JToken.Parse(ContractJson.Serialize(result)), JToken.Parse(ScoreJson.ToJson(result))));
    }
}
