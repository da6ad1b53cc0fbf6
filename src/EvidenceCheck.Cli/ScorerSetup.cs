using EvidenceCheck.Cli.Commands;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Forensics;
using EvidenceCheck.Learning.Training;
using Newtonsoft.Json;

namespace EvidenceCheck.Cli;

/// <summary>Builds the scorer the command line uses from its options: configuration file, model.</summary>
internal static class ScorerSetup
{
    /// <summary>Reads scoring options from a JSON file (same names as the service's "Scoring" section); unknown keys are errors, so a typo cannot silently fall back to a default.</summary>
    public static ScoringOptions LoadOptions(string? path)
    {
        if (path is null) return new ScoringOptions().Validated();
        if (!File.Exists(path)) throw new UsageException($"configuration file '{path}' not found");
        var settings = new JsonSerializerSettings
        {
            MissingMemberHandling = MissingMemberHandling.Error,
            ObjectCreationHandling = ObjectCreationHandling.Replace,
        };
        ScoringOptions? options;
        try
        {
            options = JsonConvert.DeserializeObject<ScoringOptions>(File.ReadAllText(path), settings);
        }
        catch (JsonException e)
        {
            throw new UsageException($"configuration file '{path}': {e.Message}");
        }
        if (options is null) throw new UsageException($"configuration file '{path}' is empty");
        var problems = options.Problems().ToArray();
        if (problems.Length > 0) throw new UsageException($"configuration file '{path}': {string.Join(" ", problems)}");
        return options;
    }

    /// <summary>
    /// The scorer every command uses — score, train and evaluate — so they can never measure
    /// differently: every discovered detector, evidence read from the files themselves (Forensics),
    /// and the given model (null: the documented rules).
    /// </summary>
    public static ReportScorer Create(ScoringOptions options, TimeProvider time, string? dkimKeyFolder = null, IScoringModel? model = null)
    {
        var forensics = new FileInspectorOptions { DkimKeyFolder = dkimKeyFolder };
        if (forensics.Problems().FirstOrDefault() is { } problem) throw new UsageException(problem);
        return new(Catalog, options, time, model, new FileEvidenceInspector(forensics));
    }

    public static DetectorCatalog Catalog { get; } = DetectorCatalog.Discover();

    /// <summary>
    /// The model to score with: --rules forces the documented rule-based combination; --model PATH a
    /// trained model; otherwise the shipped default model when present. A model trained for another
    /// feature layout is refused with the reason, never used.
    /// </summary>
    public static IScoringModel? LoadModel(string? path, bool rules)
    {
        if (rules) return null;
        if (path is not null && !File.Exists(path)) throw new UsageException($"model file '{path}' not found");
        var chosen = path ?? ShippedModel.DefaultPath;
        try
        {
            return ShippedModel.Load(path, Catalog.FeatureNames);
        }
        catch (ModelMismatchException e)
        {
            throw new UsageException($"model '{chosen}': {e.Message} Retrain it (README, \"Learning\") or pass --rules.");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or Newtonsoft.Json.JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"model '{chosen}' is not a readable EvidenceCheck model file ({e.Message})");
        }
    }

    /// <summary>
    /// Campaign features for a data set read in arrival order: an in-memory index that answers what
    /// it knew when each report arrived, exactly as `score` and the service see it live.
    /// </summary>
    public static CampaignLookup Campaigns(ScoringOptions options)
    {
        var index = new InMemoryCampaignIndex(options);
        return report => index.Observe(report).Context;
    }
}
