namespace EvidenceCheck.Testing;

/// <summary>
/// The repository's root folder (where EvidenceCheck.sln is), for the samples and the committed test files: found above
/// the test's output folder, or else above the current directory (a benchmark run with <c>dotnet run</c>). One file,
/// linked into each test project that needs it.
/// </summary>
internal static class RepositoryRoot
{
    public static string Folder { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "EvidenceCheck.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"EvidenceCheck.sln not found above {AppContext.BaseDirectory} or the current directory");
    }
}
