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
        var keys = CampaignEngine.SubjectKeys.ByHash(subject);
        Assert.Equal(AsFirstWritten(subject, "subject-reporters", ""), keys.Reporters);
        Assert.Equal(AsFirstWritten(subject, "net", "203.0.113.0/24"), keys.Net("203.0.113.0/24"));
        Assert.Equal(AsFirstWritten(subject, "signup", "2001:db8::/48"), keys.Signup("2001:db8::/48"));
        foreach (var day in new long[] { 0, 20_500, -3, long.MaxValue, long.MinValue })
            Assert.Equal(AsFirstWritten(subject, "cohort", day.ToString(System.Globalization.CultureInfo.InvariantCulture)), keys.Cohort(day));
    }

    [Fact]
    public void ANumberedSubject_HasAllItsKeysInItsOwnRange_NextToTheSubjectNumberedBefore()
    {
        var first = new CampaignEngine.SubjectKeys(41L << 32, "meeting:m-a");
        var second = new CampaignEngine.SubjectKeys(42L << 32, "meeting:m-b");
        long[] Of(CampaignEngine.SubjectKeys k) => [k.Reporters, k.Net("203.0.113.0/24"), k.Signup("2001:db8::/48"), k.Cohort(20_500)];

        Assert.All(Of(first), k => Assert.Equal(41, k >> 32));
        Assert.All(Of(second), k => Assert.Equal(42, k >> 32));
        Assert.True(Of(first).Max() < Of(second).Min());
        // The low half is the layout's own: the same as under the subject's hash.
        Assert.Equal(CampaignEngine.SubjectKeys.ByHash("meeting:m-a").Net("203.0.113.0/24") & 0xFFFFFFFF, first.Net("203.0.113.0/24") & 0xFFFFFFFF);
    }

    [Fact]
    public void StableHash_OfPartsInTurn_IsTheHashOfTheirConcatenation()
    {
        var h = StableHash.Of("kind");
        Assert.Equal(StableHash.Add(h, "ab|cd"), StableHash.Add(StableHash.Add(StableHash.Add(h, "ab"), "|"), "cd".AsSpan()));
        Assert.NotEqual(StableHash.Add(h, "ab|cd"), StableHash.Add(h, "ab|ce"));
    }
}
