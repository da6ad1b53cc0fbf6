namespace EvidenceCheck.Core.Tests;

/// <summary>Finds the repository's files (samples/, README.md) from the test's output folder.</summary>
internal static class TestFiles
{
    public static string Root { get; } = FindRoot();

    public static string Samples(string name) => Path.Combine(Root, "samples", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EvidenceCheck.sln"))) return dir.FullName;
        throw new InvalidOperationException("EvidenceCheck.sln not found above " + AppContext.BaseDirectory);
    }
}
