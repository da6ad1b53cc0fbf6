using EvidenceCheck.Cli.Commands;
using EvidenceCheck.Storage;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Cli.Tests;

/// <summary>evidencecheck audit-verify on a real store: intact, then tampered behind the triggers' back.</summary>
public sealed class AuditVerifyCommandTests : IDisposable
{
    private readonly StorageOptions _storage = new() { DataDirectory = Path.Combine(Path.GetTempPath(), "ec-audit-" + Guid.NewGuid().ToString("n")) };

    [Fact]
    public async Task AuditVerify_IntactChain_Exits0AndCountsEntries()
    {
        Fill(5);
        var (code, output) = await Run("audit-verify", "--db", _storage.DatabasePath);
        Assert.Equal(0, code);
        Assert.Contains("intact: 5 entries", output);
    }

    [Fact]
    public async Task AuditVerify_RowEditedWithTheTriggerDropped_Exits1NamingTheFirstBrokenEntry()
    {
        Fill(6);
        using (var c = SqliteSchema.Open(_storage))
        using (var cmd = c.CreateCommand())
        {
            cmd.CommandText = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor = 'mallory' WHERE seq = 3; UPDATE audit_log SET detail = '{}' WHERE seq = 5;";
            cmd.ExecuteNonQuery();
        }
        var (code, output) = await Run("audit-verify", "--data", _storage.DataDirectory);
        Assert.Equal(1, code);
        Assert.Contains("BROKEN at entry #3", output);
    }

    [Fact]
    public async Task AuditVerify_NoStore_Exits2()
    {
        var (code, _) = await Run("audit-verify", "--db", Path.Combine(_storage.DataDirectory, "missing.db"));
        Assert.Equal(2, code);
    }

    private void Fill(int entries)
    {
        var log = new AuditLog(_storage, TimeProvider.System).Migrate();
        for (var i = 0; i < entries; i++) log.Append(i % 2 == 0 ? "alice" : "bob", i == 2 ? "reveal" : "view", "r-" + i, null, new { reason = "check " + i });
    }

    private static async Task<(int Code, string Output)> Run(params string[] args)
    {
        var output = new StringWriter();
        var code = await Program.RunAsync(args, new CliIo(new StringReader(""), output, output, false), CancellationToken.None);
        return (code, output.ToString());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_storage.DataDirectory, recursive: true); } catch (IOException) { }
    }
}
