namespace EvidenceCheck.Core.Scoring;

/// <summary>
/// Everything a team tunes without a rebuild. Plain object with documented defaults; bound from
/// the "Scoring" section of configuration (service) or a JSON file (command line), then validated.
/// </summary>
public sealed class ScoringOptions
{
    /// <summary>Scores at or above this go to human review. Default 0.5.</summary>
    public double FlagThreshold { get; set; } = 0.5;
    /// <summary>Level "medium" from here. Default 0.5.</summary>
    public double MediumThreshold { get; set; } = 0.5;
    /// <summary>Level "high" from here. Default 0.8.</summary>
    public double HighThreshold { get; set; } = 0.8;

    /// <summary>Categories that get the fastest takedowns, and so are the ones fabricators pick.</summary>
    public List<string> SevereCategories { get; set; } = ["child_safety", "terrorism", "violent_extremism"];

    /// <summary>
    /// Words in a meeting's title or tags that mark it as at risk of weaponised reporting
    /// (matched case-insensitively as whole words or phrases). Protection, never targeting:
    /// the only effect is closer scrutiny of reports *against* such meetings.
    /// </summary>
    public List<string> AtRiskTopics { get; set; } =
    [
        "commemoration", "commemorate", "vigil", "memorial", "massacre", "anniversary", "remembrance",
        "tiananmen", "june 4", "june fourth", "六四", "dissident", "human rights", "political prisoners",
        "uyghur", "tibet", "hong kong", "democracy", "exile", "diaspora",
    ];

    /// <summary>Anniversaries (month-day, "MM-dd") around which meetings are at risk, ± <see cref="AtRiskDateWindowDays"/>.</summary>
    public List<string> AtRiskDates { get; set; } = ["06-04"];
    public int AtRiskDateWindowDays { get; set; } = 7;

    /// <summary>Throwaway-mailbox domains; an account on one was made to be discarded.</summary>
    public List<string> DisposableEmailDomains { get; set; } =
    [
        "mailinator.com", "guerrillamail.com", "guerrillamail.net", "sharklasers.com", "10minutemail.com",
        "temp-mail.org", "tempmail.com", "tempmail.net", "yopmail.com", "trashmail.com", "getnada.com",
        "dispostable.com", "maildrop.cc", "throwawaymail.com", "fakeinbox.com", "mintemail.com",
        "emailondeck.com", "mohmal.com", "burnermail.io", "moakt.com", "mailnesia.com", "spamgourmet.com",
        "grr.la", "mailcatch.com", "tempr.email", "discard.email", "linshiyouxiang.net", "bccto.me",
    ];

    /// <summary>An account younger than this at report time counts as new. Default 7 days.</summary>
    public double NewAccountDays { get; set; } = 7;
    /// <summary>Clock skew allowed between a claimed time and the platform's record. Default 2 minutes.</summary>
    public double ClockSkewMinutes { get; set; } = 2;
    /// <summary>Presence shorter than this is "brief" (joined to be able to say they were there). Default 5 minutes.</summary>
    public double BriefPresenceMinutes { get; set; } = 5;

    /// <summary>Overrides of rule weights by signal name (log-odds at strength 1).</summary>
    public Dictionary<string, double> Weights { get; set; } = [];
    /// <summary>Log-odds of the rule-based score when no signal fires. Default -3 (about 5%).</summary>
    public double RuleBias { get; set; } = -3.0;
    /// <summary>
    /// With a trained model, the rules' share of the score: the two are averaged in log-odds (<see cref="BlendedModel"/>).
    /// Default 0.5; 0 scores with the trained model alone. Not used without a trained model (the rules score alone then).
    /// </summary>
    public double RulesShare { get; set; } = 0.5;

    public TimeSpan ClockSkew => TimeSpan.FromMinutes(ClockSkewMinutes);
    public TimeSpan NewAccountAge => TimeSpan.FromDays(NewAccountDays);

    /// <summary>Problems with these options, in words; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        foreach (var (name, v) in new[] { ("FlagThreshold", FlagThreshold), ("MediumThreshold", MediumThreshold), ("HighThreshold", HighThreshold) })
            if (v is < 0 or > 1 || double.IsNaN(v)) yield return $"{name} must be between 0 and 1 (is {v}).";
        if (MediumThreshold > HighThreshold) yield return $"MediumThreshold ({MediumThreshold}) must not exceed HighThreshold ({HighThreshold}).";
        if (NewAccountDays <= 0) yield return "NewAccountDays must be positive.";
        if (RulesShare is < 0 or > 1 || double.IsNaN(RulesShare)) yield return $"RulesShare must be between 0 and 1 (is {RulesShare}).";
        if (ClockSkewMinutes < 0) yield return "ClockSkewMinutes must not be negative.";
        if (BriefPresenceMinutes < 0) yield return "BriefPresenceMinutes must not be negative.";
        if (AtRiskDateWindowDays < 0) yield return "AtRiskDateWindowDays must not be negative.";
        foreach (var d in AtRiskDates)
            if (!DateTime.TryParseExact("2000-" + d, "yyyy-MM-dd", null, System.Globalization.DateTimeStyles.None, out _))
                yield return $"AtRiskDates: \"{d}\" is not a month-day like 06-04.";
        foreach (var c in SevereCategories)
            if (Array.IndexOf(Contract.Vocabulary.Categories, c) < 0) yield return $"SevereCategories: \"{c}\" is not a category of the contract.";
    }

    /// <summary>Throws with every problem listed when the options are unusable; call at start.</summary>
    public ScoringOptions Validated()
    {
        var problems = Problems().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid scoring options: " + string.Join(" ", problems));
        return this;
    }

    public string LevelOf(double score) => score >= HighThreshold ? "high" : score >= MediumThreshold ? "medium" : "low";
}
