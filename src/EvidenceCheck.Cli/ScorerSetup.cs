using EvidenceCheck.Cli.Commands;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Forensics;
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

    /// <summary>The scorer with every discovered detector, reading evidence files themselves (Forensics).</summary>
    public static ReportScorer Create(ScoringOptions options, TimeProvider time, string? dkimKeyFolder = null)
    {
        var forensics = new FileInspectorOptions { DkimKeyFolder = dkimKeyFolder };
        if (forensics.Problems().FirstOrDefault() is { } problem) throw new UsageException(problem);
        return new(DetectorCatalog.Discover(), options, time, inspector: new FileEvidenceInspector(forensics));
    }
}
