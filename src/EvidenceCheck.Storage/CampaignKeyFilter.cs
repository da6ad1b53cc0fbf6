using EvidenceCheck.Core.Campaigns;

namespace EvidenceCheck.Storage;

/// <summary>
/// Which campaign keys certainly are not in the store: a blocked Bloom filter over every key of campaign_keys.
/// Nearly every key is seen once (a device, a file, a signup cohort of a quiet subject: 94% of the rows in a
/// 228k-report store have one report), so most lookups used to be a B-tree descent that found nothing. The filter
/// answers those from memory; a key it may hold is looked up as before. Wrong only in the safe direction: a key
/// added and then rolled back, or deleted by a campaign rebuild, costs a lookup that finds nothing.
/// <para>
/// Filled from the store on a background connection (<see cref="FillFrom"/>) while the writer adds the keys it
/// writes; it is used only once filled (<see cref="Complete"/>). 10 bits per key of capacity, 7 probes within one
/// 64-byte block: about 2% false positives at capacity (it starts at half of it), more beyond it (still no false negatives).
/// </para>
/// </summary>
internal sealed class CampaignKeyFilter
{
    private const int BitsPerKey = 10, Probes = 7, BlockLongs = 8;
    private readonly long[] _bits;
    private readonly ulong _blocks;
    private long _added;
    private volatile bool _complete;

    /// <param name="capacity">Keys it is sized for; it keeps working beyond, with more false positives.</param>
    public CampaignKeyFilter(long capacity)
    {
        Capacity = Math.Max(1024, capacity);
        _blocks = (ulong)Math.Max(1, Capacity * BitsPerKey / (BlockLongs * 64));
        _bits = new long[_blocks * BlockLongs];
    }

    public long Capacity { get; }

    /// <summary>Keys added so far (with repeats).</summary>
    public long Added => Interlocked.Read(ref _added);

    /// <summary>Whether every key of the store has been added: only then does <see cref="MayContain"/> answer false.</summary>
    public bool Complete => _complete;

    /// <summary>Safe from any thread.</summary>
    public void Add(long key)
    {
        var (block, h) = Locate(key);
        for (var i = 0; i < Probes; i++, h >>= 9)
        {
            var bit = (int)(h & 511);
            Interlocked.Or(ref _bits[block + (bit >> 6)], 1L << (bit & 63));
        }
        Interlocked.Increment(ref _added);
    }

    /// <summary>False when the key is certainly not in the store; true when it may be (or the filter is not filled yet).</summary>
    public bool MayContain(long key)
    {
        if (!_complete) return true;
        var (block, h) = Locate(key);
        for (var i = 0; i < Probes; i++, h >>= 9)
        {
            var bit = (int)(h & 511);
            if ((Volatile.Read(ref _bits[block + (bit >> 6)]) & (1L << (bit & 63))) == 0) return false;
        }
        return true;
    }

    /// <summary>
    /// Adds every key of campaign_keys, read on <paramref name="connection"/> in key order, <see cref="ChunkKeys"/> at a
    /// time, each chunk in a read of its own: no snapshot is held for the seconds a large store takes (one would hold
    /// back the writer's restart of the log). Then marks the filter complete. Keys are never deleted while the writer
    /// runs, so every key committed before the filling began is in every chunk's snapshot; the writer must add the keys
    /// it writes from then on (see <see cref="SqliteCampaignStore"/>).
    /// </summary>
    public void FillFrom(Microsoft.Data.Sqlite.SqliteConnection connection, CancellationToken cancel)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT k FROM campaign_keys ORDER BY k LIMIT {ChunkKeys}";
        while (true)
        {
            cancel.ThrowIfCancellationRequested();
            var (read, last) = (0, 0L);
            using (var r = cmd.ExecuteReader())
            {
                while (r.Read())
                {
                    last = r.GetInt64(0);
                    Add(last);
                    read++;
                }
            }
            if (read < ChunkKeys) break;
            // The next chunk starts after the last key read (the first one had no lower bound: long.MinValue is a key too).
            cmd.CommandText = $"SELECT k FROM campaign_keys WHERE k > $after ORDER BY k LIMIT {ChunkKeys}";
            cmd.Parameters.Clear();
            cmd.Parameters.AddWithValue("$after", last);
        }
        _complete = true;
    }

    /// <summary>Keys read per chunk while filling.</summary>
    internal const int ChunkKeys = 65_536;

    /// <summary>The first long of the key's 512-bit block, and 63 bits for its 7 probes of 9 bits (a second, independent mix).</summary>
    private (int Block, ulong Probes) Locate(long key)
    {
        var h = StableHash.Mix((ulong)key);
        // The top 32 bits scaled to the block count (no power-of-two rounding, so no memory is wasted on it).
        return ((int)(((h >> 32) * _blocks) >> 32) * BlockLongs, StableHash.Mix(h ^ 0x9E3779B97F4A7C15));
    }
}
