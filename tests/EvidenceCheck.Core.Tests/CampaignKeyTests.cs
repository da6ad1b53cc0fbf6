using EvidenceCheck.Core.Campaigns;

namespace EvidenceCheck.Core.Tests;

/// <summary>
/// The keys a subject's counters are stored under are part of every store written so far: a key computed differently
/// after an upgrade would start a subject's counters over. These pin them to the formula they were first written with.
/// </summary>
public class CampaignKeyTests
{
    /// <summary>The layout as first shipped (schema 3): subject hash high, hash of kind and "subject|value" low, built as strings.</summary>
    private static long AsFirstWritten(string subject, string kind, string value) =>
        StableHash.AsKey((StableHash.Mix(StableHash.Of("subject", subject)) & 0xFFFFFFFF00000000UL) | (StableHash.Mix(StableHash.Of(kind, subject + "|" + value)) & 0xFFFFFFFFUL));

    [Theory]
    [InlineData("meeting:m-1")]
    [InlineData("account:Ünïcödé 名前")]
    [InlineData("")]
    public void SubjectKeys_AreTheKeysStoresWereWrittenWith(string subject)
    {
        Assert.Equal(AsFirstWritten(subject, "subject-reporters", ""), CampaignEngine.SubjectReportersKey(subject));
        Assert.Equal(AsFirstWritten(subject, "net", "203.0.113.0/24"), CampaignEngine.NetKey(subject, "203.0.113.0/24"));
        Assert.Equal(AsFirstWritten(subject, "signup", "2001:db8::/48"), CampaignEngine.SignupKey(subject, "2001:db8::/48"));
        foreach (var day in new long[] { 0, 20_500, -3, long.MaxValue, long.MinValue })
            Assert.Equal(AsFirstWritten(subject, "cohort", day.ToString(System.Globalization.CultureInfo.InvariantCulture)), CampaignEngine.CohortKey(subject, day));
    }

    [Fact]
    public void StableHash_OfPartsInTurn_IsTheHashOfTheirConcatenation()
    {
        var h = StableHash.Of("kind");
        Assert.Equal(StableHash.Add(h, "ab|cd"), StableHash.Add(StableHash.Add(StableHash.Add(h, "ab"), "|"), "cd".AsSpan()));
        Assert.NotEqual(StableHash.Add(h, "ab|cd"), StableHash.Add(h, "ab|ce"));
    }
}
