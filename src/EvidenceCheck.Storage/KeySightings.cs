namespace EvidenceCheck.Storage;

/// <summary>
/// Where each key seen only once (a device, a file) sits in key_sightings: the table is appended to in arrival order,
/// so a first sighting costs a few bytes at its end instead of a page of its own in campaign_keys, and this map is the
/// index that finds it again. It holds the key's low 32 bits and the row's id, 8 bytes per slot (~20 MB for the
/// ~1.7M sightings of a 1.3M-report store). It can only be wrong in the safe direction: the caller reads each candidate
/// row and compares its key, so a row a rollback took back, or another key with the same low 32 bits (about once in
/// 2,500 lookups at that size), is passed over. Filled from the table at start; the writer adds what it appends.
/// Not thread-safe: the writer's. The same index finds subjects' numbers (SqliteCampaignStore.SubjectPrefix).
/// </summary>
internal sealed class KeySightings
{
    // Open addressing, linear probing: a slot holds a row id (0: empty) and the key's low 32 bits, from which the slot
    // comes too (keys are hashes).
    private uint[] _fingerprints;
    private int[] _ids;
    private const double MaxLoad = 0.7;

    public KeySightings(int expected = 0)
    {
        var capacity = Math.Max(1024, (int)Math.Min(int.MaxValue / 2, expected / MaxLoad * 1.25));
        _fingerprints = new uint[capacity];
        _ids = new int[capacity];
    }

    public int Count { get; private set; }

    /// <summary>Bytes held, for the start-up log.</summary>
    public long Bytes => (long)_ids.Length * (sizeof(int) + sizeof(uint));

    public void Add(long key, long id)
    {
        if (id <= 0 || id > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(id), id, "A sighting's row id must be between 1 and 2^31 - 1.");
        if (Count + 1 > _ids.Length * MaxLoad) Grow();
        Place((uint)key, (int)id);
        Count++;
    }

    /// <summary>Row ids that may hold the key, in the order they were added: each must be read and its key compared.</summary>
    public void Candidates(long key, List<long> into)
    {
        into.Clear();
        var fingerprint = (uint)key;
        for (var slot = Slot(fingerprint); _ids[slot] != 0; slot = Next(slot))
            if (_fingerprints[slot] == fingerprint) into.Add(_ids[slot]);
    }

    private void Place(uint fingerprint, int id)
    {
        var slot = Slot(fingerprint);
        while (_ids[slot] != 0) slot = Next(slot);
        _fingerprints[slot] = fingerprint;
        _ids[slot] = id;
    }

    private void Grow()
    {
        var (fingerprints, ids) = (_fingerprints, _ids);
        var capacity = (int)Math.Min(int.MaxValue / 2, (long)(ids.Length * 1.5));
        _fingerprints = new uint[capacity];
        _ids = new int[capacity];
        for (var i = 0; i < ids.Length; i++)
            if (ids[i] != 0) Place(fingerprints[i], ids[i]);
    }

    private int Slot(uint fingerprint) => (int)((ulong)fingerprint * (ulong)_ids.Length >> 32);

    private int Next(int slot) => slot + 1 == _ids.Length ? 0 : slot + 1;
}
