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
    /// <summary>First and Last are ring slots: an entry only ever names reports still in the ring.</summary>
    private struct Entry
    {
        public int Reports, First, Last;
    }

    private Dictionary<long, Entry> _current = [], _previous = [];
    private readonly string[] _reportIds;
    private readonly Dictionary<string, long> _ordinalOf = new(StringComparer.Ordinal);
    private long _next, _generationStart;

    public TextBandIndex(int capacity)
    {
        if (capacity < 2) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be at least 2 reports");
        Capacity = capacity;
        _reportIds = new string[capacity];
    }

    /// <summary>Reports with text the index remembers at most.</summary>
    public int Capacity { get; }

    /// <summary>Reports with text remembered now.</summary>
    public int Count => _ordinalOf.Count;

    public bool Contains(string reportId) => _ordinalOf.ContainsKey(reportId);

    /// <summary>A band key's recent reports (count, first, last); <see cref="KeyStats.Empty"/> when none. Candidates' reporters are read from their stored facts.</summary>
    public KeyStats Get(long key)
    {
        var inPrevious = _previous.TryGetValue(key, out var p);
        var inCurrent = _current.TryGetValue(key, out var c);
        if (!inPrevious && !inCurrent) return KeyStats.Empty;
        var first = inPrevious ? p.First : c.First;
        var last = inCurrent ? c.Last : p.Last;
        return new KeyStats(p.Reports + c.Reports, 0, null, _reportIds[first], _reportIds[last], null);
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
        foreach (var key in keys)
        {
            ref var e = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_current, key, out var existed);
            if (!existed) e.First = slot;
            e.Reports++;
            e.Last = slot;
        }
        return before;
    }

    /// <summary>Forgets everything (the store rolled back; the caller refills the index from what was kept).</summary>
    public void Clear()
    {
        _current = [];
        _previous = [];
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
        dropped.EnsureCapacity(_previous.Count);
        _current = dropped;
        _generationStart = _next;
    }

    private int Slot(long ordinal) => (int)(ordinal % Capacity);
}
