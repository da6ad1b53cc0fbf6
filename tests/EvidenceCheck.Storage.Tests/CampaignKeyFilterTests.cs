using EvidenceCheck.Core.Campaigns;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

public class CampaignKeyFilterTests
{
    [Fact]
    public void Filled_FromTheStore_FindsEveryStoredKey_AndRulesOutAlmostAllOthers()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var random = new Random(5);
        // More than one chunk of the fill, and the extreme keys (the first chunk has no lower bound).
        var stored = Enumerable.Range(0, 2 * CampaignKeyFilter.ChunkKeys).Select(_ => random.NextInt64(long.MinValue, long.MaxValue))
            .Concat([long.MinValue, long.MaxValue, 0]).ToHashSet();
        Insert(connection, stored);
        // The store sizes it for twice the keys it holds when it is filled.
        var filter = new CampaignKeyFilter(2 * stored.Count);

        filter.FillFrom(connection, CancellationToken.None);

        Assert.True(filter.Complete);
        Assert.All(stored, key => Assert.True(filter.MayContain(key)));
        var others = Enumerable.Range(0, 100_000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).Where(k => !stored.Contains(k)).ToArray();
        var falsePositives = others.Count(filter.MayContain) / (double)others.Length;
        Assert.InRange(falsePositives, 0, 0.01);
    }

    [Fact]
    public void BeforeItIsFilled_EveryKeyMayBeStored()
    {
        var filter = new CampaignKeyFilter(1_000);

        Assert.False(filter.Complete);
        Assert.True(filter.MayContain(42));
    }

    [Fact]
    public void KeysTheWriterAdds_WhileItIsFilled_AreFoundToo()
    {
        // The writer adds what it writes from before the filling snapshot: keys that are not in that snapshot.
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Insert(connection, [1, 2, 3]);
        var filter = new CampaignKeyFilter(1_000);
        filter.Add(CampaignEngine.Key("device", "written-meanwhile"));

        filter.FillFrom(connection, CancellationToken.None);

        Assert.True(filter.MayContain(CampaignEngine.Key("device", "written-meanwhile")));
        Assert.True(filter.MayContain(2));
    }

    [Fact]
    public void BeyondItsCapacity_ItStillFindsEveryKey()
    {
        var filter = new CampaignKeyFilter(1_024);
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var keys = Enumerable.Range(0, 20_000).Select(i => (long)StableHash.Mix((ulong)i)).ToArray();
        Insert(connection, keys);

        filter.FillFrom(connection, CancellationToken.None);

        Assert.All(keys, key => Assert.True(filter.MayContain(key)));
    }

    [Fact]
    public async Task AfterARestart_TheFilledFilter_StillFindsAKeyStoredBefore()
    {
        // A device seen before the restart must still link a report after it, once lookups go through the filter.
        using var store = new TempStore();
        await store.Ledger.SubmitAsync(Some.Report("r-before", r =>
        {
            r.Reporter!.AccountId = "u-first";
            r.ReporterSession = new Core.Contract.ReporterSession { Ip = "198.51.100.7", DeviceId = "dev-shared" };
        }));
        store.Reopen();
        await UntilTheFilterIsInUse(store);

        var after = await store.Ledger.SubmitAsync(Some.Report("r-after", r =>
        {
            r.Reporter!.AccountId = "u-second";
            r.ReporterSession = new Core.Contract.ReporterSession { Ip = "192.0.2.9", DeviceId = "dev-shared" };
        }));

        Assert.NotNull(after.Score!.Campaign);
        Assert.Contains(CampaignEngine.SharedDevice, after.Score.Campaign!.Links);
    }

    [Fact]
    public async Task OnceTheFilterIsInUse_AKeyFirstSeenNow_LinksTheReportsAfterIt_InTheSameBatchAndLater()
    {
        // Keys the filter rules out are not cached: the next report with the key must read the row the first one wrote.
        // Each report is about a meeting of its own, so the device is their only link.
        using var store = new TempStore();
        await UntilTheFilterIsInUse(store);
        Core.Contract.Report WithDevice(string id, string reporter) => Some.Report(id, r =>
        {
            r.Reporter!.AccountId = reporter;
            r.ReporterSession = new Core.Contract.ReporterSession { Ip = "198.51.100.20", DeviceId = "dev-first-seen-now" };
        });

        var batch = await store.Ledger.SubmitManyAsync([WithDevice("r-new-1", "u-one"), WithDevice("r-new-2", "u-two")]);
        var later = await store.Ledger.SubmitAsync(WithDevice("r-new-3", "u-three"));

        Assert.Null(batch[0].Score!.Campaign);
        Assert.Contains(CampaignEngine.SharedDevice, batch[1].Score!.Campaign!.Links);
        Assert.Contains(CampaignEngine.SharedDevice, later.Score!.Campaign!.Links);
        Assert.Equal(batch[1].Score!.Campaign!.CampaignId, later.Score.Campaign!.CampaignId);
        Assert.Equal(3, later.Score.Campaign.Reports);
    }

    /// <summary>Submits filler reports until the store's key filter is filled and answers lookups.</summary>
    private static async Task UntilTheFilterIsInUse(TempStore store)
    {
        var filler = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!store.Ledger.KeyFilterInUse)
        {
            Assert.True(DateTime.UtcNow < deadline, "the key filter was not filled within 30 s");
            await store.Ledger.SubmitAsync(Some.Report($"r-filler-{filler++}"));
            await Task.Delay(10);
        }
    }

    private static void Insert(SqliteConnection connection, IEnumerable<long> keys)
    {
        using var tx = connection.BeginTransaction();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE campaign_keys (k INTEGER PRIMARY KEY)";
            create.ExecuteNonQuery();
        }
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO campaign_keys (k) VALUES ($k)";
        var k = insert.Parameters.Add("$k", SqliteType.Integer);
        foreach (var key in keys)
        {
            k.Value = key;
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }
}
