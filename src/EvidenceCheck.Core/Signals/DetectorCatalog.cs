using System.Reflection;

namespace EvidenceCheck.Core.Signals;

/// <summary>A discovered detector with its name, family and rule weight.</summary>
public sealed record DetectorInfo(string Name, SignalFamily Family, double Weight, ISignalDetector Detector);

/// <summary>
/// Finds every <see cref="ISignalDetector"/> in the given assemblies. Its order is the feature
/// layout: family, then name, so it does not change when a file moves.
/// </summary>
public sealed class DetectorCatalog
{
    public IReadOnlyList<DetectorInfo> Detectors { get; }
    public IReadOnlyList<string> FeatureNames { get; }

    public DetectorCatalog(IEnumerable<DetectorInfo> detectors)
    {
        Detectors = detectors.OrderBy(d => d.Family).ThenBy(d => d.Name, StringComparer.Ordinal).ToArray();
        var duplicate = Detectors.GroupBy(d => d.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidOperationException($"Two detectors are named '{duplicate.Key}'.");
        FeatureNames = Detectors.Select(d => d.Name).ToArray();
    }

    /// <summary>The detectors of Core plus those of the given assemblies (e.g. Forensics).</summary>
    public static DetectorCatalog Discover(params Assembly[] more) =>
        new(new[] { typeof(DetectorCatalog).Assembly }.Concat(more).Distinct().SelectMany(FromAssembly));

    private static IEnumerable<DetectorInfo> FromAssembly(Assembly assembly) =>
        from type in assembly.GetTypes()
        where typeof(ISignalDetector).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false }
        let attribute = type.GetCustomAttribute<SignalAttribute>()
            ?? throw new InvalidOperationException($"{type.FullName} implements ISignalDetector but has no [Signal] attribute.")
        select new DetectorInfo(attribute.Name, attribute.Family, attribute.Weight, (ISignalDetector)Activator.CreateInstance(type)!);
}
