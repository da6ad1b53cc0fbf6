namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// The MinHash band index of the most recent report texts, in memory: for each band key, how many
/// recent reports had it and the first and last of them. Bounded: it covers the last
/// <see cref="Capacity"/> reports with text (at least half that many after a rotation), in two
/// generations of <c>Capacity / 2</c>; when the newer one fills, the older one is dropped whole.
/// Copies in a campaign arrive close together, so a window of recent reports finds them, and the
/// store never has to write eight random index pages per report to keep a band table on disk.
/// Both the command line and the service use it through <see cref="CampaignEngine"/>, so a file and
/// the service see the same window. Not thread-safe: one writer.
/// </summary>
public sealed class TextBandIndex
{
    /// <summary>
    /// A band key and its reports in one generation, in 16 bytes (four slots to a cache line): the count in the low
    /// <see cref="CountBits"/> bits of <c>_packed</c>, then the first and the last report's ring slots, 25 bits each. The
    /// ring slots only ever name reports still in the ring. 0 reports marks a free slot: a key in the table has had one.
    /// </summary>
    private struct Entry
    {
        public long Key;
        private ulong _packed;

        public readonly int Reports => (int)(_packed & MaxCount);
        public readonly int First => (int)((_packed >> CountBits) & SlotMask);
        public readonly int Last => (int)(_packed >> (CountBits + SlotBits));

        /// <summary>Counts a report in ring slot <paramref name="slot"/>: the first one stays, the last one is this.</summary>
        public void Count(int slot)
        {
            var first = Reports == 0 ? (ulong)slot : (ulong)First;
            var reports = (ulong)Math.Min(Reports + 1, MaxCount);
            _packed = reports | (first << CountBits) | ((ulong)slot << (CountBits + SlotBits));
        }
    }

    /// <summary>
    /// A band's count within one generation saturates here: beyond it (thousands of copies of one text in the window) the
    /// count no longer tells anything a reviewer would read differently, and the bits hold the ring slots.
    /// </summary>
    public const int MaxCount = (1 << CountBits) - 1;

    /// <summary>The largest window (<see cref="Capacity"/>) a ring slot of 25 bits can name.</summary>
    public const int MaxCapacity = 1 << SlotBits;

    private const int CountBits = 14, SlotBits = 25;
    private const ulong SlotMask = (1UL << SlotBits) - 1;

    /// <summary>
    /// One generation's band keys: open addressing, linear probing, at most half full, key and counts side by side in one
    /// slot. The writer looks up 8 keys per report in two tables of up to a million keys, so nearly every lookup misses
    /// the CPU caches; a dictionary cost a miss for the bucket and another for the entry, each time (measured with the
    /// textindex benchmark).
    /// </summary>
    private sealed class Table
    {
        private const int InitialSlots = 1024;
        private Entry[] _slots = new Entry[InitialSlots];

        public int Count { get; private set; }

        /// <summary>The key's slot, or -1.</summary>
        public int Find(long key)
        {
            var mask = _slots.Length - 1;
            for (var i = Home(key, mask); ; i = (i + 1) & mask)
            {
                ref var slot = ref _slots[i];
                if (slot.Reports == 0) return -1;
                if (slot.Key == key) return i;
            }
        }

        public ref Entry this[int slot] => ref _slots[slot];

        /// <summary>The key's entry, added empty (Reports 0, to be counted by the caller) when it was not there.</summary>
        public ref Entry GetOrAdd(long key)
        {
            if (2 * (Count + 1) > _slots.Length) Grow();
            var mask = _slots.Length - 1;
            for (var i = Home(key, mask); ; i = (i + 1) & mask)
            {
                ref var slot = ref _slots[i];
                if (slot.Reports == 0)
                {
                    Count++;
                    slot.Key = key;
                    return ref slot;
                }
                if (slot.Key == key) return ref slot;
            }
        }

        /// <summary>Empties the table and keeps its size (the next generation will be as large).</summary>
        public void Clear()
        {
            Array.Clear(_slots);
            Count = 0;
        }

        /// <summary>Empties the table and lets its slots go.</summary>
        public void Reset()
        {
            _slots = new Entry[InitialSlots];
            Count = 0;
        }

        private void Grow()
        {
            var old = _slots;
            _slots = new Entry[old.Length * 2];
            var mask = _slots.Length - 1;
            foreach (var e in old)
            {
                if (e.Reports == 0) continue;
                var i = Home(e.Key, mask);
                while (_slots[i].Reports != 0) i = (i + 1) & mask;
                _slots[i] = e;
            }
        }

        // Band keys are hashes already, but not of their low bits alone: mixed again, so that neighbours do not cluster.
        private static int Home(long key, int mask) => (int)(StableHash.Mix((ulong)key) & (ulong)mask);
    }

    private Table _current = new(), _previous = new();
    private readonly string[] _reportIds;
    private readonly Dictionary<string, long> _ordinalOf = new(StringComparer.Ordinal);
    private long _next, _generationStart;

    public TextBandIndex(int capacity)
    {
        if (capacity is < 2 or > MaxCapacity) throw new ArgumentOutOfRangeException(nameof(capacity), $"capacity must be between 2 and {MaxCapacity:N0} reports");
        Capacity = capacity;
        _reportIds = new string[capacity];
    }

    /// <summary>Reports with text the index remembers at most.</summary>
    public int Capacity { get; }

    /// <summary>Reports with text remembered now.</summary>
    public int Count => _ordinalOf.Count;

    public bool Contains(string reportId) => _ordinalOf.ContainsKey(reportId);

    /// <summary>
    /// A band key's recent reports (count, at most <see cref="MaxCount"/> per generation; first; last);
    /// <see cref="KeyStats.Empty"/> when none. Candidates' reporters are read from their stored facts.
    /// </summary>
    public KeyStats Get(long key)
    {
        var p = _previous.Find(key);
        var c = _current.Find(key);
        if (p < 0 && c < 0) return KeyStats.Empty;
        var previous = p >= 0 ? _previous[p] : default;
        var current = c >= 0 ? _current[c] : default;
        var first = p >= 0 ? previous.First : current.First;
        var last = c >= 0 ? current.Last : previous.Last;
        return new KeyStats(previous.Reports + current.Reports, 0, null, _reportIds[first], _reportIds[last], null);
    }

    /// <summary>Adds a report's band keys; returns each key as it was before. A report id already present is not added twice.</summary>
    public KeyStats[] Add(IReadOnlyList<long> keys, string reportId)
    {
        var before = new KeyStats[keys.Count];
        for (var i = 0; i < keys.Count; i++) before[i] = Get(keys[i]);
        if (_ordinalOf.ContainsKey(reportId)) return before;

        if (_next - _generationStart >= Capacity / 2) Rotate();
        var ordinal = _next++;
        var slot = Slot(ordinal);
        _reportIds[slot] = reportId;
        _ordinalOf[reportId] = ordinal;
        foreach (var key in keys) _current.GetOrAdd(key).Count(slot);
        return before;
    }

    /// <summary>Forgets everything (the store rolled back; the caller refills the index from what was kept).</summary>
    public void Clear()
    {
        _current.Reset();
        _previous.Reset();
        _ordinalOf.Clear();
        Array.Clear(_reportIds);
        _next = _generationStart = 0;
    }

    /// <summary>The older generation is dropped; its ring slots are about to be reused by the new one.</summary>
    private void Rotate()
    {
        var dropFrom = Math.Max(0, _generationStart - Capacity / 2);
        for (var o = dropFrom; o < _generationStart; o++) _ordinalOf.Remove(_reportIds[Slot(o)]);
        // The dropped generation's table is emptied and reused, not made anew: at a million entries its arrays are large
        // objects, and a new pair per rotation was garbage only a full collection takes back.
        var dropped = _previous;
        _previous = _current;
        dropped.Clear();
        _current = dropped;
        _generationStart = _next;
    }

    private int Slot(long ordinal) => (int)(ordinal % Capacity);
}
