using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace EvidenceCheck.Storage.Tests;

/// <summary>A real SQLite store in a temporary folder, removed afterwards.</summary>
public sealed class TempStore : IDisposable
{
    public static readonly DateTimeOffset Now = new(2020, 6, 3, 18, 0, 0, TimeSpan.Zero);

    public TempStore(Action<StorageOptions>? configure = null)
    {
        Options = new StorageOptions { DataDirectory = Path.Combine(Path.GetTempPath(), "ec-store-" + Guid.NewGuid().ToString("n")) };
        configure?.Invoke(Options);
        Ledger = new ReportLedger(Options, NewScorer(), new CampaignOptions());
        Queries = new ReportQueries(Options, Time);
    }

    public static FakeTimeProvider Time { get; } = new(Now);
    public StorageOptions Options { get; }
    public ReportLedger Ledger { get; private set; }
    public ReportQueries Queries { get; }

    public static ReportScorer NewScorer() => new(DetectorCatalog.Discover(), new ScoringOptions(), Time);

    /// <summary>Closes and opens the store again, as a restart would.</summary>
    public void Reopen(bool disposeFirst = true)
    {
        if (disposeFirst) Ledger.Dispose();
        Ledger = new ReportLedger(Options, NewScorer(), new CampaignOptions());
    }

    public void Dispose()
    {
        Ledger.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(Options.DataDirectory, recursive: true); } catch (IOException) { }
    }
}
