namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// How reports are related across each other. Plain object with documented defaults; bound from the
/// "Campaigns" section of configuration (service) or built by the command line, then validated.
/// </summary>
public sealed class CampaignOptions
{
    /// <summary>Reports against the same subject count together when received within this many days of each other. Default 14.</summary>
    public int WindowDays { get; set; } = 14;
    /// <summary>Shares (new reporters, reporters who attended) are only computed from this many reporters on, this one included; below it they are noise. Default 3.</summary>
    public int MinReportersForShares { get; set; } = 3;
    /// <summary>
    /// Reporter accounts created on the same or an adjacent UTC day form a signup cohort (the seed's fake
    /// accounts were made in batches). Default 1 day either side.
    /// </summary>
    public int SignupCohortDays { get; set; } = 1;
    /// <summary>Report texts shorter than this many words are not compared: short texts are alike by nature. Default 8.</summary>
    public int MinTextWords { get; set; } = 8;
    /// <summary>Estimated Jaccard similarity of word 3-shingles from which two texts are near-duplicates. Default 0.7.</summary>
    public double NearDuplicateSimilarity { get; set; } = 0.7;
    /// <summary>
    /// A campaign that grows to this many times the size its members were last scored at re-scores them all
    /// (geometric, so each report costs O(1) re-scores on average). Small campaigns (see <see cref="AlwaysRescoreUpTo"/>) re-score on every join. Default 1.5.
    /// </summary>
    public double RescoreGrowthFactor { get; set; } = 1.5;
    /// <summary>Campaigns up to this size re-score every earlier member each time one joins. Default 16.</summary>
    public int AlwaysRescoreUpTo { get; set; } = 16;
    /// <summary>At most this many earlier members (the most recent) are re-scored per join, so a huge campaign cannot stall the writer. Default 2,000.</summary>
    public int MaxRescorePerJoin { get; set; } = 2_000;

    /// <summary>
    /// Near-duplicate text is looked for among this many most recent reports with text (between half this and
    /// this many, as the index drops its older half at a time). Kept in memory, about 300 bytes per report.
    /// Default 250,000.
    /// </summary>
    public int TextIndexReports { get; set; } = 250_000;

    public IEnumerable<string> Problems()
    {
        if (TextIndexReports is < 2 or > 20_000_000) yield return $"TextIndexReports must be between 2 and 20,000,000 (is {TextIndexReports}).";
        if (WindowDays is < 0 or > 3650) yield return $"WindowDays must be between 0 and 3650 (is {WindowDays}).";
        if (MinReportersForShares < 2) yield return $"MinReportersForShares must be at least 2 (is {MinReportersForShares}).";
        if (SignupCohortDays is < 0 or > 30) yield return $"SignupCohortDays must be between 0 and 30 (is {SignupCohortDays}).";
        if (MinTextWords < 3) yield return $"MinTextWords must be at least 3 (is {MinTextWords}).";
        if (NearDuplicateSimilarity is <= 0 or > 1) yield return $"NearDuplicateSimilarity must be in (0, 1] (is {NearDuplicateSimilarity}).";
        if (RescoreGrowthFactor <= 1) yield return $"RescoreGrowthFactor must be greater than 1 (is {RescoreGrowthFactor}).";
        if (AlwaysRescoreUpTo < 1) yield return "AlwaysRescoreUpTo must be at least 1.";
        if (MaxRescorePerJoin < 1) yield return "MaxRescorePerJoin must be at least 1.";
    }

    public CampaignOptions Validated()
    {
        var problems = Problems().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid campaign options: " + string.Join(" ", problems));
        return this;
    }
}
