namespace EvidenceCheck.Learning.Training;

/// <summary>
/// The default model that ships with EvidenceCheck (samples/model, copied beside every program that
/// references this project) and the one rule for choosing a model, shared by the CLI and the service.
/// </summary>
public static class ShippedModel
{
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "model", "evidencecheck-model.zip");

    /// <summary>
    /// The configured model file, else the shipped one when present, else null (the documented rules).
    /// Refuses a model trained for another feature layout (<see cref="ModelMismatchException"/>).
    /// </summary>
    public static TrainedModel? Load(string? configuredPath, IReadOnlyList<string> featureNames)
    {
        var path = configuredPath is { Length: > 0 } ? configuredPath : File.Exists(DefaultPath) ? DefaultPath : null;
        return path is null ? null : TrainedModel.Load(path, featureNames);
    }
}
