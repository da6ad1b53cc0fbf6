using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Core.Signals;

/// <summary>
/// The meeting's trusted attendance record, indexed to answer "was this account there, and
/// when?". A participant entry without a join time is counted as present but of unknown times.
/// </summary>
public sealed class MeetingRecord
{
    private readonly Dictionary<string, List<Participant>> _byAccount = new(StringComparer.Ordinal);

    public MeetingRecord(Meeting meeting)
    {
        Meeting = meeting;
        foreach (var p in meeting.Participants ?? [])
        {
            if (p is null || string.IsNullOrEmpty(p.AccountId)) continue;
            if (!_byAccount.TryGetValue(p.AccountId, out var stretches)) _byAccount[p.AccountId] = stretches = [];
            stretches.Add(p);
        }
    }

    public Meeting Meeting { get; }

    /// <summary>True when the platform recorded who attended (a non-empty participant list).</summary>
    public bool HasAttendance => _byAccount.Count > 0;

    public IEnumerable<string> AccountIds => _byAccount.Keys;

    public bool IsParticipant(string? accountId) => accountId is not null && _byAccount.ContainsKey(accountId);

    public IReadOnlyList<Participant> Stretches(string accountId) =>
        _byAccount.TryGetValue(accountId, out var s) ? s : [];

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
        if (!_byAccount.TryGetValue(accountId, out var stretches)) return HasAttendance ? false : null;
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
        if (!_byAccount.TryGetValue(accountId, out var stretches)) return HasAttendance ? TimeSpan.Zero : null;
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
    public bool StillPresent(string accountId) =>
        End is null && Stretches(accountId).Any(s => s.JoinedAt is not null && s.LeftAt is null);

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
