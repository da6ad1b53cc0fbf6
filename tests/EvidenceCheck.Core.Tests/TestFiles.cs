namespace EvidenceCheck.Core.Tests;

/// <summary>Finds the repository's files (samples/, README.md) from the test's output folder.</summary>
internal static class TestFiles
{
    public static string Root => EvidenceCheck.Testing.RepositoryRoot.Folder;

    public static string Samples(string name) => Path.Combine(Root, "samples", name);
}
