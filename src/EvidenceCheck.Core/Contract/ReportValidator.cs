namespace EvidenceCheck.Core.Contract;

/// <summary>
/// Checks what the types alone cannot: required fields, closed vocabularies, lengths, and trusted
/// records that contradict themselves (a meeting that ends before it starts is a platform bug,
/// and scoring against it would blame the reporter for it).
/// </summary>
public static class ReportValidator
{
    /// <summary>C0 and C1 control characters and DEL.</summary>
    private static readonly char[] ControlCharacters = Enumerable.Range(0, 0x20).Concat(Enumerable.Range(0x7F, 0x21)).Select(c => (char)c).ToArray();

    public static IEnumerable<ContractError> Validate(Report r)
    {
        if (string.IsNullOrEmpty(r.ReportId)) yield return new("reportId", "required");
        else if (r.ReportId.Length > ReportReader.MaxReportIdLength)
            yield return new("reportId", $"longer than {ReportReader.MaxReportIdLength} characters ({r.ReportId.Length})");
        // An id goes into URLs, logs and the reviewer's page: a control character in it is a client's bug or a trick.
        else if (r.ReportId.IndexOfAny(ControlCharacters) is var at and >= 0)
            yield return new("reportId", $"contains a control character (U+{(int)r.ReportId[at]:X4}) at character {at + 1}");
        else if (Unpaired(r.ReportId) is { } unpaired) yield return new("reportId", unpaired);
        if (r.ReceivedAt is null) yield return new("receivedAt", "required");
        if (OneOf("channel", r.Channel, Vocabulary.Channels) is { } channel) yield return channel;
        if (OneOf("category", r.Category, Vocabulary.Categories) is { } category) yield return category;
        if (r.Text is { Length: > ReportReader.MaxTextLength })
            yield return new("text", $"longer than {ReportReader.MaxTextLength} characters ({r.Text.Length})");
        if (r.Reporter is not null)
            foreach (var e in ValidateAccount("reporter", r.Reporter)) yield return e;
        if (r.Subject is { } s)
        {
            if (OneOf("subject.kind", s.Kind, Vocabulary.SubjectKinds) is { } kind) yield return kind;
            if (s.Meeting is { } m)
                foreach (var e in ValidateMeeting("subject.meeting", m)) yield return e;
            for (var i = 0; i < (s.Accounts?.Count ?? 0); i++)
                foreach (var e in ValidateAccount($"subject.accounts[{i}]", s.Accounts![i])) yield return e;
        }
        for (var i = 0; i < (r.Evidence?.Count ?? 0); i++)
        {
            var ev = r.Evidence![i];
            if (ev is null) { yield return new($"evidence[{i}]", "expected an object, got null"); continue; }
            if (OneOf($"evidence[{i}].kind", ev.Kind, Vocabulary.EvidenceKinds) is { } ek) yield return ek;
            if (ev.SizeBytes is < 0) yield return new($"evidence[{i}].sizeBytes", "negative");
        }
    }

    private static IEnumerable<ContractError> ValidateAccount(string path, Account? a)
    {
        if (a is null) { yield return new(path, "expected an object, got null"); yield break; }
        if (string.IsNullOrEmpty(a.AccountId)) yield return new($"{path}.accountId", "required");
        else if (Unpaired(a.AccountId) is { } unpaired) yield return new($"{path}.accountId", unpaired);
        foreach (var (name, value) in new[] { ("meetingsAttended", a.MeetingsAttended), ("reportsFiled", a.ReportsFiled), ("reportsUpheld", a.ReportsUpheld) })
            if (value is < 0) yield return new($"{path}.{name}", "negative");
        if (a.ReportsFiled is { } filed && a.ReportsUpheld is { } upheld && upheld > filed)
            yield return new($"{path}.reportsUpheld", $"greater than reportsFiled ({upheld} > {filed})");
    }

    private static IEnumerable<ContractError> ValidateMeeting(string path, Meeting m)
    {
        if (string.IsNullOrEmpty(m.MeetingId)) yield return new($"{path}.meetingId", "required");
        else if (Unpaired(m.MeetingId) is { } unpaired) yield return new($"{path}.meetingId", unpaired);
        if (m.StartedAt is { } start && m.EndedAt is { } end && end < start)
            yield return new($"{path}.endedAt", "before startedAt");
        for (var i = 0; i < (m.Participants?.Count ?? 0); i++)
        {
            // Paths are made only for the errors: a meeting's participants are most of a report, and nearly all are fine.
            var p = m.Participants![i];
            if (p is null) { yield return new($"{path}.participants[{i}]", "expected an object, got null"); continue; }
            if (string.IsNullOrEmpty(p.AccountId)) yield return new($"{path}.participants[{i}].accountId", "required");
            else if (Unpaired(p.AccountId) is { } unpaired) yield return new($"{path}.participants[{i}].accountId", unpaired);
            if (p.JoinedAt is { } joined && p.LeftAt is { } left && left < joined)
                yield return new($"{path}.participants[{i}].leftAt", "before joinedAt");
        }
        for (var i = 0; i < (m.Chat?.Count ?? 0); i++)
            if (m.Chat![i] is null) yield return new($"{path}.chat[{i}]", "expected an object, got null");
    }

    /// <summary>
    /// An id must be exact Unicode text. JSON allows half a surrogate pair as an escape ("\ud800"); the reader turns it
    /// into U+FFFD, as UTF-8 storage would, so "r-\ud800" and "r-\ud801" would become one id: the second report refused
    /// as a conflicting resubmission of the first, two reporters or meetings counted as one. An id holding U+FFFD (so
    /// replaced, or already garbled by the client's encoding) or an unpaired surrogate is refused by name instead. Free
    /// text keeps them.
    /// </summary>
    /// <returns>What is wrong with the id, or null.</returns>
    private static string? Unpaired(string id)
    {
        for (var i = 0; i < id.Length; i++)
        {
            if (char.IsHighSurrogate(id[i]) && i + 1 < id.Length && char.IsLowSurrogate(id[i + 1])) { i++; continue; }
            if (id[i] == '\uFFFD')
                return $"contains U+FFFD at character {i + 1} (an unpaired surrogate escape such as \\ud800, or text garbled by an encoding): an id must be exact, valid Unicode";
            if (char.IsSurrogate(id[i]))
                return $"contains an unpaired surrogate (U+{(int)id[i]:X4}) at character {i + 1}: an id must be exact, valid Unicode";
        }
        return null;
    }

    private static ContractError? OneOf(string path, string? value, string[] allowed) =>
        value is null || Array.IndexOf(allowed, value) >= 0
            ? null
            : new ContractError(path, $"\"{value}\" is not one of {string.Join(" | ", allowed)}");
}
