using EvidenceCheck.Storage;

namespace EvidenceCheck.Cli.Commands;

/// <summary>Checks the reviewers' hash-chained audit log and names the first entry that does not hold.</summary>
internal sealed class AuditVerifyCommand : ICliCommand
{
    public string Name => "audit-verify";
    public string Summary => "Verify the reviewers' audit log (hash chain); names the first broken entry.";
    public string Usage => """
        Usage: evidencecheck audit-verify [--db FILE | --data DIR]

        Walks the audit log of the service's store from the first entry, recomputing each entry's
        SHA-256 over the previous hash and its content, and reports the first entry that was altered,
        removed or re-linked. Exit code 0 intact, 1 broken, 2 no such store.

          --db FILE   the SQLite file (default: data/evidencecheck.db)
          --data DIR  the service's data folder (the file evidencecheck.db inside it)
        """;

    public async Task<int> RunAsync(string[] args, CliIo io, CancellationToken cancel)
    {
        var path = Path.Combine("data", "evidencecheck.db");
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new UsageException($"{args[i]} needs a value.");
            path = args[i] switch
            {
                "--db" => value,
                "--data" => Path.Combine(value, "evidencecheck.db"),
                _ => throw new UsageException($"unknown option '{args[i]}'."),
            };
            i++;
        }
        if (!File.Exists(path))
        {
            await io.Error.WriteLineAsync($"evidencecheck audit-verify: no store at {Path.GetFullPath(path)}.");
            return 2;
        }
        var result = AuditLog.Verify(path);
        if (result.Intact)
        {
            await io.Out.WriteLineAsync($"Audit chain intact: {result.Entries} entries.");
            return 0;
        }
        await io.Out.WriteLineAsync($"Audit chain BROKEN at entry #{result.FirstBroken}: {result.Problem}.");
        return 1;
    }
}
