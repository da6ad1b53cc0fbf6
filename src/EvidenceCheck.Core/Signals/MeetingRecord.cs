using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Core.Signals;

/// <summary>
/// The meeting's trusted attendance record, indexed to answer "was this account there, and
/// when?". A participant entry without a join time is counted as present but of unknown times.
/// </summary>
public sealed class MeetingRecord
{
    // The participant entries with an account, ordered by account id (ordinal), each account's in the record's order: one
    // array, searched by halves, instead of a dictionary and a list per account (built for every report, twice).
    private readonly Participant[] _stretches;

    public MeetingRecord(Meeting meeting)
    {
        Meeting = meeting;
        var all = meeting.Participants ?? [];
        var order = new List<int>(all.Count);
        for (var i = 0; i < all.Count; i++)
            if (all[i] is { AccountId: { Length: > 0 } }) order.Add(i);
        // Ties are broken by position, so the order is total and the sort stable.
        order.Sort((a, b) => string.CompareOrdinal(all[a].AccountId, all[b].AccountId) is var c and not 0 ? c : a.CompareTo(b));
        _stretches = new Participant[order.Count];
        for (var i = 0; i < order.Count; i++) _stretches[i] = all[order[i]];
        for (var i = 0; i < _stretches.Length; i++) if (i == 0 || _stretches[i].AccountId != _stretches[i - 1].AccountId) AccountCount++;
    }

    public Meeting Meeting { get; }

    /// <summary>True when the platform recorded who attended (a non-empty participant list).</summary>
    public bool HasAttendance => _stretches.Length > 0;

    /// <summary>Distinct accounts in the record.</summary>
    public int AccountCount { get; }

    public bool IsParticipant(string? accountId) => accountId is not null && !Stretches(accountId).IsEmpty;

    /// <summary>The account's entries in the record (a stretch each time it joined), in the record's order; none when it was not there.</summary>
    public ReadOnlySpan<Participant> Stretches(string accountId)
    {
        int low = 0, high = _stretches.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (string.CompareOrdinal(_stretches[mid].AccountId, accountId) < 0) low = mid + 1;
            else high = mid;
        }
        var end = low;
        while (end < _stretches.Length && _stretches[end].AccountId == accountId) end++;
        return _stretches.AsSpan(low, end - low);
    }

    /// <summary>When the meeting ran; an open end means it was still running (or the end is unknown).</summary>
    public DateTimeOffset? Start => Meeting.StartedAt;
    public DateTimeOffset? End => Meeting.EndedAt;

    /// <summary>
    /// Whether the account was in the meeting at <paramref name="time"/>, give or take
    /// <paramref name="tolerance"/> (clock skew between the reporter's memory and the platform).
    /// Null when the record cannot say (no times for its stretches).
    /// </summary>
    public bool? WasPresentAt(string accountId, DateTimeOffset time, TimeSpan tolerance)
    {
        var stretches = Stretches(accountId);
        if (stretches.IsEmpty) return HasAttendance ? false : null;
        var anyKnown = false;
        foreach (var s in stretches)
        {
            if (s.JoinedAt is not { } joined) continue;
            anyKnown = true;
            var left = s.LeftAt ?? End ?? DateTimeOffset.MaxValue;
            // Compare as time − tolerance ≤ left: left may be DateTimeOffset.MaxValue (still in a running meeting), and MaxValue + tolerance throws.
            if (time >= joined - tolerance && time - tolerance <= left) return true;
        }
        return anyKnown ? false : null;
    }

    /// <summary>
    /// Total time the account spent in the meeting, or null when the record has no times for it. A stretch still open in
    /// a running meeting (no leave time, no end) counts until <paramref name="asOf"/> (when the report was received); it
    /// is not counted without one.
    /// </summary>
    public TimeSpan? TimePresent(string accountId, DateTimeOffset? asOf = null)
    {
        var stretches = Stretches(accountId);
        if (stretches.IsEmpty) return HasAttendance ? TimeSpan.Zero : null;
        TimeSpan total = TimeSpan.Zero;
        var anyKnown = false;
        foreach (var s in stretches)
        {
            if (s.JoinedAt is not { } joined || (s.LeftAt ?? End ?? asOf) is not { } left) continue;
            anyKnown = true;
            if (left > joined) total += left - joined;
        }
        return anyKnown ? total : null;
    }

    /// <summary>Whether the account is still in a running meeting: a stretch with a join time, no leave time, and no end.</summary>
    public bool StillPresent(string accountId)
    {
        if (End is not null) return false;
        foreach (var s in Stretches(accountId))
            if (s.JoinedAt is not null && s.LeftAt is null) return true;
        return false;
    }

    /// <summary>The account's first join and last leave, when recorded.</summary>
    public (DateTimeOffset? First, DateTimeOffset? Last) Span(string accountId)
    {
        var stretches = Stretches(accountId);
        DateTimeOffset? first = null, last = null;
        foreach (var s in stretches)
        {
            if (s.JoinedAt is { } j && (first is null || j < first)) first = j;
            if ((s.LeftAt ?? End) is { } l && (last is null || l > last)) last = l;
        }
        return (first, last);
    }
}
