namespace EvidenceCheck.Core.Contract;

/// <summary>The scorer's answer for one report (DESIGN.md, "The score").</summary>
public sealed class ScoreResult
{
    public string ReportId { get; set; } = "";
    /// <summary>Probability that the report is fabricated, 0..1.</summary>
    public double Score { get; set; }
    /// <summary>low | medium | high, from the configured thresholds.</summary>
    public string Level { get; set; } = "low";
    /// <summary>True: the report goes to human review. Nothing is ever taken down by the scorer.</summary>
    public bool Flagged { get; set; }
    /// <summary>The signals that moved the score, strongest first.</summary>
    public List<Reason> Reasons { get; set; } = [];
    public CampaignSummary? Campaign { get; set; }
    public string ModelVersion { get; set; } = "";
    public DateTimeOffset ScoredAt { get; set; }
}

public sealed class Reason
{
    public string Signal { get; set; } = "";
    public double? Value { get; set; }
    public string? Unit { get; set; }
    /// <summary>Share of the score's distance from the model's baseline that this signal explains; negative points to genuine.</summary>
    public double Contribution { get; set; }
    public string Detail { get; set; } = "";
}

public sealed class CampaignSummary
{
    public string CampaignId { get; set; } = "";
    public int Reports { get; set; }
    public int Reporters { get; set; }
    public List<string> Links { get; set; } = [];
}
