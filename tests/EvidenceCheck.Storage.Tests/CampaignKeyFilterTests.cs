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
        var stored = Enumerable.Range(0, 100_000).Select(_ => random.NextInt64(long.MinValue, long.MaxValue)).ToHashSet();
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
        var filler = 0;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!store.Ledger.KeyFilterInUse)
        {
            Assert.True(DateTime.UtcNow < deadline, "the key filter was not filled within 30 s");
            await store.Ledger.SubmitAsync(Some.Report($"r-filler-{filler++}"));
            await Task.Delay(10);
        }

        var after = await store.Ledger.SubmitAsync(Some.Report("r-after", r =>
        {
            r.Reporter!.AccountId = "u-second";
            r.ReporterSession = new Core.Contract.ReporterSession { Ip = "192.0.2.9", DeviceId = "dev-shared" };
        }));

        Assert.NotNull(after.Score!.Campaign);
        Assert.Contains(CampaignEngine.SharedDevice, after.Score.Campaign!.Links);
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
