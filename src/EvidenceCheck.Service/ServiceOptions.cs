namespace EvidenceCheck.Service;

/// <summary>The service's own settings, bound from the "Service" section and validated at start.</summary>
public sealed class ServiceOptions
{
    /// <summary>Where to listen. Default <c>http://127.0.0.1:5080</c>: loopback only, put a TLS proxy in front to expose it.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5080";
    /// <summary>Scoring clients (moderation queues) by name → API key. They may only score.</summary>
    public Dictionary<string, string> ScoringKeys { get; set; } = [];
    /// <summary>Reviewers by name → API key. They read reports, the queue and campaigns, and decide; they do not score.</summary>
    public Dictionary<string, string> ReviewerKeys { get; set; } = [];
    /// <summary>
    /// With no keys configured, generate a development key for each role at first start, keep it in
    /// the data folder (dev-keys.json) and print it. Default true; turn off in production.
    /// </summary>
    public bool GenerateDevelopmentKeys { get; set; } = true;
    /// <summary>A trained model file (EvidenceCheck.Learning). Default none: the shipped default model beside the program.</summary>
    public string? ModelPath { get; set; }
    /// <summary>Score with the documented rule-based combination instead of any model. Default false.</summary>
    public bool UseRules { get; set; }
    /// <summary>Folder of DKIM public keys for verifying emailed evidence (see Forensics). Default none: signatures are "unknown".</summary>
    public string? DkimKeyFolder { get; set; }
    /// <summary>Largest body of POST /v1/score, in bytes. Default 8 MiB (evidence files may be inline).</summary>
    public long MaxReportBytes { get; set; } = 8 * 1024 * 1024;
    /// <summary>Largest body of POST /v1/score/batch, in bytes. Default 64 MiB.</summary>
    public long MaxBatchBytes { get; set; } = 64 * 1024 * 1024;
    /// <summary>Most reports in one batch. Default 10,000.</summary>
    public int MaxBatchReports { get; set; } = 10_000;
    /// <summary>
    /// Seconds to wait at start for the store to open before listening. Default 5: an ordinary start opens it within that,
    /// so a store that cannot be opened stops the service before it listens. A longer opening (a migration deriving the
    /// campaign counters again, ~1 minute a million reports) goes on while the service listens, with <c>/healthz</c> answering
    /// 503 "starting" and the API 503 with Retry-After until it is done. 0 listens at once.
    /// </summary>
    public int StartupWaitSeconds { get; set; } = 5;

    public IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(Urls.Split(';')[0], UriKind.Absolute, out _)) yield return $"Urls is not a URL: \"{Urls}\".";
        if (MaxReportBytes < 1024) yield return "MaxReportBytes must be at least 1024.";
        if (MaxBatchBytes < MaxReportBytes) yield return "MaxBatchBytes must be at least MaxReportBytes.";
        if (MaxBatchReports < 1) yield return "MaxBatchReports must be at least 1.";
        if (StartupWaitSeconds is < 0 or > 3600) yield return $"StartupWaitSeconds must be between 0 and 3600 (is {StartupWaitSeconds}).";
        foreach (var (name, key) in ScoringKeys.Concat(ReviewerKeys))
            if (key is not { Length: >= 16 }) yield return $"The API key of \"{name}\" must be at least 16 characters.";
        var shared = ScoringKeys.Values.Intersect(ReviewerKeys.Values).Any();
        if (shared) yield return "A key cannot be both a scoring key and a reviewer key: the two roles are kept apart.";
        if (ModelPath is { Length: > 0 } path && !File.Exists(path)) yield return $"ModelPath \"{path}\" does not exist.";
        if (UseRules && ModelPath is { Length: > 0 }) yield return "Give ModelPath or UseRules, not both.";
        if (DkimKeyFolder is { Length: > 0 } keys && !Directory.Exists(keys)) yield return $"DkimKeyFolder \"{keys}\" does not exist.";
    }

    public ServiceOptions Validated()
    {
        var problems = Problems().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid service options: " + string.Join(" ", problems));
        return this;
    }
}
