using EvidenceCheck.Core.Campaigns;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Storage.Tests;

public class KeySightingsTests
{
    [Fact]
    public void EveryKeyAdded_IsACandidateOfItsOwnRow_ThroughGrowth()
    {
        var sightings = new KeySightings();
        var keys = Enumerable.Range(1, 50_000).Select(i => (Key: (long)StableHash.Mix((ulong)i), Id: (long)i)).ToArray();

        foreach (var (key, id) in keys) sightings.Add(key, id);

        var candidates = new List<long>();
        Assert.All(keys, k =>
        {
            sightings.Candidates(k.Key, candidates);
            Assert.Contains(k.Id, candidates);
        });
        Assert.Equal(keys.Length, sightings.Count);
    }

    [Fact]
    public void KeysSharingTheirLow32Bits_AreBothCandidates_TheStoreTellsThemApartByReading()
    {
        var sightings = new KeySightings();
        long first = 0x0000_0001_1234_5678, second = 0x7FFF_0000_1234_5678;

        sightings.Add(first, 1);
        sightings.Add(second, 2);

        var candidates = new List<long>();
        sightings.Candidates(first, candidates);
        Assert.Equal([1, 2], candidates);
    }

    [Fact]
    public void AKeySeenOnce_IsASightingNotACounterRow_AndCountsAsOneReportUntilSeenAgain()
    {
        using var store = new TempStore();
        using var opened = Open(store);
        var (connection, campaigns) = opened;
        var device = CampaignEngine.Key("device", "dev-1");

        InTransaction(connection, () => campaigns.CountScattered(device, "r-1", "u-1", out _));

        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM campaign_keys"));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM key_sightings"));
        Assert.Equal(new KeyStats(1, 1, null, "r-1", "r-1", "u-1"), campaigns.GetKey(device));
        Assert.True(campaigns.HasReporter(device, "u-1"));

        KeyStats before = default;
        var newReporter = false;
        InTransaction(connection, () => before = campaigns.CountScattered(device, "r-2", "u-2", out newReporter));

        Assert.Equal(new KeyStats(1, 1, null, "r-1", "r-1", "u-1"), before);
        Assert.True(newReporter);
        Assert.Equal(new KeyStats(2, 2, null, "r-1", "r-2", "u-2"), campaigns.GetKey(device));
        Assert.Equal(1L, Scalar(connection, "SELECT count(*) FROM campaign_keys WHERE reports = 2 AND reporters = 2"));
    }

    [Fact]
    public void ASighting_IsFoundAfterARestart_AndASightingGivenACampaign_KeepsIt()
    {
        using var store = new TempStore();
        var device = CampaignEngine.Key("device", "dev-restart");
        var file = CampaignEngine.Key("file", "0badf00d");
        {
            using var opened = Open(store);
            var (connection, campaigns) = opened;
            InTransaction(connection, () =>
            {
                campaigns.CountScattered(device, "r-1", "u-1", out _);
                campaigns.CountScattered(file, "r-1", "u-1", out _);
                campaigns.SetKeyCampaign(file, "c-1");
            });
        }

        using var reopened = Open(store);
        var (_, again) = reopened;

        Assert.Equal(new KeyStats(1, 1, null, "r-1", "r-1", "u-1"), again.GetKey(device));
        Assert.Equal("c-1", again.GetKey(file).CampaignId);
        Assert.Equal(KeyStats.Empty, again.GetKey(CampaignEngine.Key("device", "never-seen")));
    }

    [Fact]
    public void ASightingRolledBack_IsForgotten_OneCommittedBefore_IsNot()
    {
        using var store = new TempStore();
        using var opened = Open(store);
        var (connection, campaigns) = opened;
        var kept = CampaignEngine.Key("device", "dev-kept");
        var dropped = CampaignEngine.Key("device", "dev-dropped");
        InTransaction(connection, () => campaigns.CountScattered(kept, "r-1", "u-1", out _));

        SqliteSchema.Execute(connection, "BEGIN; SAVEPOINT slice;");
        campaigns.CountScattered(dropped, "r-2", "u-2", out _);
        campaigns.CountScattered(kept, "r-2", "u-2", out _);
        SqliteSchema.Execute(connection, "ROLLBACK TO slice; RELEASE slice; COMMIT;");
        campaigns.RolledBack();
        // The next sighting takes the rolled-back row's id; the index still names that row for the dropped key too.
        var other = CampaignEngine.Key("device", "dev-next");
        InTransaction(connection, () => campaigns.CountScattered(other, "r-3", "u-3", out _));

        Assert.Equal(KeyStats.Empty, campaigns.GetKey(dropped));
        Assert.Equal("r-3", campaigns.GetKey(other).FirstReportId);
        Assert.Equal(new KeyStats(1, 1, null, "r-1", "r-1", "u-1"), campaigns.GetKey(kept));
    }

    [Fact]
    public void Subjects_AreNumberedInTheOrderFirstRecorded_AndKeepTheirNumbersAcrossARestart()
    {
        using var store = new TempStore();
        {
            using var opened = Open(store);
            var (connection, campaigns) = opened;
            Assert.Equal(0, campaigns.SubjectPrefix("meeting:m-1", assign: false));
            InTransaction(connection, () =>
            {
                Assert.Equal(1L << 32, campaigns.SubjectPrefix("meeting:m-1", assign: true));
                Assert.Equal(2L << 32, campaigns.SubjectPrefix("meeting:m-2", assign: true));
                Assert.Equal(1L << 32, campaigns.SubjectPrefix("meeting:m-1", assign: true));
            });
        }

        using var reopened = Open(store);
        var (c, again) = reopened;
        Assert.Equal(2L << 32, again.SubjectPrefix("meeting:m-2", assign: false));
        InTransaction(c, () => Assert.Equal(3L << 32, again.SubjectPrefix("meeting:m-3", assign: true)));
        Assert.Equal(3L, Scalar(c, "SELECT count(*) FROM subject_ordinals"));
    }

    [Fact]
    public void ASubjectNumberedInARolledBackSlice_IsForgotten_AndTheNumberGoesToTheNextSubject()
    {
        using var store = new TempStore();
        using var opened = Open(store);
        var (connection, campaigns) = opened;
        InTransaction(connection, () => campaigns.SubjectPrefix("meeting:kept", assign: true));

        SqliteSchema.Execute(connection, "BEGIN; SAVEPOINT slice;");
        Assert.Equal(2L << 32, campaigns.SubjectPrefix("meeting:dropped", assign: true));
        SqliteSchema.Execute(connection, "ROLLBACK TO slice; RELEASE slice; COMMIT;");
        campaigns.RolledBack();

        Assert.Equal(0, campaigns.SubjectPrefix("meeting:dropped", assign: false));
        InTransaction(connection, () => Assert.Equal(2L << 32, campaigns.SubjectPrefix("meeting:next", assign: true)));
        Assert.Equal(1L << 32, campaigns.SubjectPrefix("meeting:kept", assign: false));
        Assert.Equal(2L, Scalar(connection, "SELECT count(*) FROM subject_ordinals"));
    }

    private sealed class OpenStore(SqliteConnection connection, SqliteCampaignStore campaigns) : IDisposable
    {
        public void Deconstruct(out SqliteConnection c, out SqliteCampaignStore s) => (c, s) = (connection, campaigns);

        public void Dispose()
        {
            campaigns.Dispose();
            connection.Dispose();
        }
    }

    /// <summary>The store's campaign tables on a connection of their own, as the writer has them (no key filter).</summary>
    private static OpenStore Open(TempStore store)
    {
        var connection = SqliteSchema.Open(store.Options);
        return new OpenStore(connection, new SqliteCampaignStore(connection));
    }

    private static void InTransaction(SqliteConnection connection, Action work)
    {
        SqliteSchema.Execute(connection, "BEGIN;");
        work();
        SqliteSchema.Execute(connection, "COMMIT;");
    }

    private static object? Scalar(SqliteConnection connection, string sql) => SqliteSchema.Scalar(connection, sql);
}
