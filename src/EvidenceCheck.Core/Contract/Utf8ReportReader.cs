using System.Text.Json;

namespace EvidenceCheck.Core.Contract;

/// <summary>
/// The contract reader's fast path: a well-formed report read straight from its UTF-8 bytes with System.Text.Json's
/// reader, into the same objects <see cref="ReportReader"/>'s Json.NET reading makes of it. Json.NET's reading was the
/// largest cost of a batch in the service (a third of the request threads' time). Anything this path cannot be sure it
/// reads the same way (a wrong type, a repeated or differently-cased field name, a comment, a lone surrogate escape,
/// nested metadata, bytes that are not UTF-8) makes it give up, and the text is read the careful way, which names every
/// problem: reports that are refused, and their messages, are exactly what they were.
/// </summary>
internal static class Utf8ReportReader
{
    // Deeper than any report is: a deep unknown field goes the careful way, which applies the contract's limit of 32.
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Thrown (one instance, never seen outside) where the careful reader must decide.</summary>
    private sealed class GiveUp : Exception;

    private static readonly GiveUp NotHere = new();

    /// <summary>The report, or null: not read here (whether it is acceptable is then the careful reader's to say).</summary>
    public static Report? TryRead(ReadOnlySpan<byte> utf8)
    {
        // The reader checks the bytes of the strings it decodes, not of those it skips.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) return null;
        var r = new Utf8JsonReader(utf8, Options);
        try
        {
            if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return null;
            var report = ReadReport(ref r);
            // Past the object there may be white space only; anything else throws.
            return r.Read() ? null : report;
        }
        catch (Exception e) when (e is GiveUp or JsonException or InvalidOperationException or FormatException or ContractException)
        {
            return null;
        }
    }

    // Field names as Json.NET's camel-case resolver names them; any other casing of one of them Json.NET would still match.
    private static readonly string[] ReportFields = ["reportId", "receivedAt", "channel", "category", "text", "reporter", "reporterSession", "subject", "claims", "evidence"];
    private static readonly string[] AccountFields =
        ["accountId", "createdAt", "displayName", "email", "emailVerified", "country", "meetingsAttended", "reportsFiled", "reportsUpheld", "signupIp", "deviceIds"];
    private static readonly string[] SessionFields = ["ip", "deviceId", "country", "userAgent"];
    private static readonly string[] SubjectFields = ["kind", "meeting", "accounts"];
    private static readonly string[] MeetingFields =
        ["meetingId", "title", "tags", "hostAccountId", "scheduledAt", "startedAt", "endedAt", "participants", "chat"];
    private static readonly string[] ParticipantFields = ["accountId", "displayName", "joinedAt", "leftAt", "ip", "country"];
    private static readonly string[] ChatFields = ["accountId", "sentAt", "text"];
    private static readonly string[] ClaimsFields = ["occurredAt", "speakerAccountId", "quote"];
    private static readonly string[] EvidenceFields =
        ["evidenceId", "kind", "fileName", "mediaType", "sha256", "sizeBytes", "claimedCapturedAt", "contentBase64", "metadata"];

    private static Report ReadReport(ref Utf8JsonReader r)
    {
        var x = new Report();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("reportId"u8)) { Once(ref seen, 0); x.ReportId = String(ref r)!; }
            else if (r.ValueTextEquals("receivedAt"u8)) { Once(ref seen, 1); x.ReceivedAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("channel"u8)) { Once(ref seen, 2); x.Channel = String(ref r); }
            else if (r.ValueTextEquals("category"u8)) { Once(ref seen, 3); x.Category = String(ref r); }
            else if (r.ValueTextEquals("text"u8)) { Once(ref seen, 4); x.Text = String(ref r); }
            else if (r.ValueTextEquals("reporter"u8)) { Once(ref seen, 5); x.Reporter = Object(ref r) ? ReadAccount(ref r) : null; }
            else if (r.ValueTextEquals("reporterSession"u8)) { Once(ref seen, 6); x.ReporterSession = Object(ref r) ? ReadSession(ref r) : null; }
            else if (r.ValueTextEquals("subject"u8)) { Once(ref seen, 7); x.Subject = Object(ref r) ? ReadSubject(ref r) : null; }
            else if (r.ValueTextEquals("claims"u8)) { Once(ref seen, 8); x.Claims = Object(ref r) ? ReadClaims(ref r) : null; }
            else if (r.ValueTextEquals("evidence"u8)) { Once(ref seen, 9); x.Evidence = Array(ref r) ? ReadEvidenceList(ref r) : null; }
            else Unknown(ref r, ReportFields);
        }
        return x;
    }

    private static Account ReadAccount(ref Utf8JsonReader r)
    {
        var x = new Account();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("accountId"u8)) { Once(ref seen, 0); x.AccountId = String(ref r)!; }
            else if (r.ValueTextEquals("createdAt"u8)) { Once(ref seen, 1); x.CreatedAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("displayName"u8)) { Once(ref seen, 2); x.DisplayName = String(ref r); }
            else if (r.ValueTextEquals("email"u8)) { Once(ref seen, 3); x.Email = String(ref r); }
            else if (r.ValueTextEquals("emailVerified"u8)) { Once(ref seen, 4); x.EmailVerified = Bool(ref r); }
            else if (r.ValueTextEquals("country"u8)) { Once(ref seen, 5); x.Country = String(ref r); }
            else if (r.ValueTextEquals("meetingsAttended"u8)) { Once(ref seen, 6); x.MeetingsAttended = Int(ref r); }
            else if (r.ValueTextEquals("reportsFiled"u8)) { Once(ref seen, 7); x.ReportsFiled = Int(ref r); }
            else if (r.ValueTextEquals("reportsUpheld"u8)) { Once(ref seen, 8); x.ReportsUpheld = Int(ref r); }
            else if (r.ValueTextEquals("signupIp"u8)) { Once(ref seen, 9); x.SignupIp = String(ref r); }
            else if (r.ValueTextEquals("deviceIds"u8)) { Once(ref seen, 10); x.DeviceIds = Strings(ref r); }
            else Unknown(ref r, AccountFields);
        }
        return x;
    }

    private static ReporterSession ReadSession(ref Utf8JsonReader r)
    {
        var x = new ReporterSession();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("ip"u8)) { Once(ref seen, 0); x.Ip = String(ref r); }
            else if (r.ValueTextEquals("deviceId"u8)) { Once(ref seen, 1); x.DeviceId = String(ref r); }
            else if (r.ValueTextEquals("country"u8)) { Once(ref seen, 2); x.Country = String(ref r); }
            else if (r.ValueTextEquals("userAgent"u8)) { Once(ref seen, 3); x.UserAgent = String(ref r); }
            else Unknown(ref r, SessionFields);
        }
        return x;
    }

    private static Subject ReadSubject(ref Utf8JsonReader r)
    {
        var x = new Subject();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("kind"u8)) { Once(ref seen, 0); x.Kind = String(ref r); }
            else if (r.ValueTextEquals("meeting"u8)) { Once(ref seen, 1); x.Meeting = Object(ref r) ? ReadMeeting(ref r) : null; }
            else if (r.ValueTextEquals("accounts"u8))
            {
                Once(ref seen, 2);
                if (!Array(ref r)) { x.Accounts = null; continue; }
                var list = new List<Account>();
                while (Element(ref r)) list.Add(ElementObject(ref r) ? ReadAccount(ref r) : null!);
                x.Accounts = list;
            }
            else Unknown(ref r, SubjectFields);
        }
        return x;
    }

    private static Meeting ReadMeeting(ref Utf8JsonReader r)
    {
        var x = new Meeting();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("meetingId"u8)) { Once(ref seen, 0); x.MeetingId = String(ref r)!; }
            else if (r.ValueTextEquals("title"u8)) { Once(ref seen, 1); x.Title = String(ref r); }
            else if (r.ValueTextEquals("tags"u8)) { Once(ref seen, 2); x.Tags = Strings(ref r); }
            else if (r.ValueTextEquals("hostAccountId"u8)) { Once(ref seen, 3); x.HostAccountId = String(ref r); }
            else if (r.ValueTextEquals("scheduledAt"u8)) { Once(ref seen, 4); x.ScheduledAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("startedAt"u8)) { Once(ref seen, 5); x.StartedAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("endedAt"u8)) { Once(ref seen, 6); x.EndedAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("participants"u8))
            {
                Once(ref seen, 7);
                if (!Array(ref r)) { x.Participants = null; continue; }
                var list = new List<Participant>();
                while (Element(ref r)) list.Add(ElementObject(ref r) ? ReadParticipant(ref r) : null!);
                x.Participants = list;
            }
            else if (r.ValueTextEquals("chat"u8))
            {
                Once(ref seen, 8);
                if (!Array(ref r)) { x.Chat = null; continue; }
                var list = new List<ChatMessage>();
                while (Element(ref r)) list.Add(ElementObject(ref r) ? ReadChat(ref r) : null!);
                x.Chat = list;
            }
            else Unknown(ref r, MeetingFields);
        }
        return x;
    }

    private static Participant ReadParticipant(ref Utf8JsonReader r)
    {
        var x = new Participant();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("accountId"u8)) { Once(ref seen, 0); x.AccountId = String(ref r)!; }
            else if (r.ValueTextEquals("displayName"u8)) { Once(ref seen, 1); x.DisplayName = String(ref r); }
            else if (r.ValueTextEquals("joinedAt"u8)) { Once(ref seen, 2); x.JoinedAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("leftAt"u8)) { Once(ref seen, 3); x.LeftAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("ip"u8)) { Once(ref seen, 4); x.Ip = String(ref r); }
            else if (r.ValueTextEquals("country"u8)) { Once(ref seen, 5); x.Country = String(ref r); }
            else Unknown(ref r, ParticipantFields);
        }
        return x;
    }

    private static ChatMessage ReadChat(ref Utf8JsonReader r)
    {
        var x = new ChatMessage();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("accountId"u8)) { Once(ref seen, 0); x.AccountId = String(ref r); }
            else if (r.ValueTextEquals("sentAt"u8)) { Once(ref seen, 1); x.SentAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("text"u8)) { Once(ref seen, 2); x.Text = String(ref r); }
            else Unknown(ref r, ChatFields);
        }
        return x;
    }

    private static Claims ReadClaims(ref Utf8JsonReader r)
    {
        var x = new Claims();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("occurredAt"u8)) { Once(ref seen, 0); x.OccurredAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("speakerAccountId"u8)) { Once(ref seen, 1); x.SpeakerAccountId = String(ref r); }
            else if (r.ValueTextEquals("quote"u8)) { Once(ref seen, 2); x.Quote = String(ref r); }
            else Unknown(ref r, ClaimsFields);
        }
        return x;
    }

    private static List<Evidence> ReadEvidenceList(ref Utf8JsonReader r)
    {
        var list = new List<Evidence>();
        while (Element(ref r)) list.Add(ElementObject(ref r) ? ReadEvidence(ref r) : null!);
        return list;
    }

    private static Evidence ReadEvidence(ref Utf8JsonReader r)
    {
        var x = new Evidence();
        var seen = 0;
        while (NextField(ref r))
        {
            if (r.ValueTextEquals("evidenceId"u8)) { Once(ref seen, 0); x.EvidenceId = String(ref r); }
            else if (r.ValueTextEquals("kind"u8)) { Once(ref seen, 1); x.Kind = String(ref r); }
            else if (r.ValueTextEquals("fileName"u8)) { Once(ref seen, 2); x.FileName = String(ref r); }
            else if (r.ValueTextEquals("mediaType"u8)) { Once(ref seen, 3); x.MediaType = String(ref r); }
            else if (r.ValueTextEquals("sha256"u8)) { Once(ref seen, 4); x.Sha256 = String(ref r); }
            else if (r.ValueTextEquals("sizeBytes"u8)) { Once(ref seen, 5); x.SizeBytes = Long(ref r); }
            else if (r.ValueTextEquals("claimedCapturedAt"u8)) { Once(ref seen, 6); x.ClaimedCapturedAt = Timestamp(ref r); }
            else if (r.ValueTextEquals("contentBase64"u8)) { Once(ref seen, 7); x.ContentBase64 = String(ref r); }
            else if (r.ValueTextEquals("metadata"u8)) { Once(ref seen, 8); x.Metadata = Object(ref r) ? ReadMetadata(ref r) : null; }
            else Unknown(ref r, EvidenceFields);
        }
        return x;
    }

    /// <summary>Caller metadata with scalar values, typed as Json.NET types them for an <c>object</c>; nested values give up.</summary>
    private static Dictionary<string, object?> ReadMetadata(ref Utf8JsonReader r)
    {
        var x = new Dictionary<string, object?>();
        while (NextField(ref r))
        {
            var key = r.GetString()!;
            r.Read();
            object? value = r.TokenType switch
            {
                JsonTokenType.String => r.GetString(),
                JsonTokenType.Number when r.ValueSpan.IndexOfAny(".eE"u8) >= 0 => r.TryGetDouble(out var d) && double.IsFinite(d) ? d : throw NotHere,
                JsonTokenType.Number => WholeNumber(ref r),
                JsonTokenType.True => true,
                JsonTokenType.False => false,
                JsonTokenType.Null => null,
                _ => throw NotHere,
            };
            if (!x.TryAdd(key, value)) throw NotHere;
        }
        return x;
    }

    /// <summary>Moves to the next field's name; false at the end of the object.</summary>
    private static bool NextField(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.PropertyName || (r.TokenType == JsonTokenType.EndObject ? false : throw NotHere);
    }

    /// <summary>Json.NET lets a repeated field fill in the object or list read before: not this path's to copy.</summary>
    private static void Once(ref int seen, int field)
    {
        if ((seen & (1 << field)) != 0) throw NotHere;
        seen |= 1 << field;
    }

    /// <summary>A field the contract does not have is ignored, unless it differs from one it has only in case (Json.NET would read it).</summary>
    private static void Unknown(ref Utf8JsonReader r, string[] fields)
    {
        var name = r.GetString();
        foreach (var field in fields)
            if (string.Equals(field, name, StringComparison.OrdinalIgnoreCase)) throw NotHere;
        r.Skip();
    }

    /// <summary>Moves to a field's value: true at the start of an object, false for null.</summary>
    private static bool Object(ref Utf8JsonReader r)
    {
        r.Read();
        return ElementObject(ref r);
    }

    private static bool ElementObject(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.StartObject || (r.TokenType == JsonTokenType.Null ? false : throw NotHere);

    /// <summary>Moves to a field's value: true at the start of an array, false for null.</summary>
    private static bool Array(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType == JsonTokenType.StartArray || (r.TokenType == JsonTokenType.Null ? false : throw NotHere);
    }

    /// <summary>Moves to an array's next element; false at its end.</summary>
    private static bool Element(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType != JsonTokenType.EndArray;
    }

    private static List<string>? Strings(ref Utf8JsonReader r)
    {
        if (!Array(ref r)) return null;
        var list = new List<string>();
        while (Element(ref r))
            list.Add(r.TokenType switch { JsonTokenType.String => r.GetString()!, JsonTokenType.Null => null!, _ => throw NotHere });
        return list;
    }

    private static string? String(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch { JsonTokenType.String => r.GetString(), JsonTokenType.Null => null, _ => throw NotHere };
    }

    /// <summary>
    /// A timestamp read from the token itself when it has the usual shape (a report holds a dozen, and a string for each was
    /// garbage the moment it was parsed); anything else is read as text, and refused or parsed as before.
    /// </summary>
    private static DateTimeOffset? Timestamp(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.String) throw NotHere;
        // A token of n bytes unescapes to at most n UTF-16 characters.
        Span<char> text = stackalloc char[48];
        if (r.ValueSpan.Length <= text.Length && !r.HasValueSequence && Timestamps.TryParseCommon(text[..r.CopyString(text)]) is { } common) return common;
        return Timestamps.ParseRfc3339(r.GetString()!);
    }

    private static bool? Bool(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch { JsonTokenType.True => true, JsonTokenType.False => false, JsonTokenType.Null => null, _ => throw NotHere };
    }

    private static int? Int(ref Utf8JsonReader r)
    {
        var value = Long(ref r);
        return value is null ? null : value is >= int.MinValue and <= int.MaxValue ? (int)value : throw NotHere;
    }

    private static long? Long(ref Utf8JsonReader r)
    {
        r.Read();
        if (r.TokenType == JsonTokenType.Null) return null;
        if (r.TokenType != JsonTokenType.Number || r.ValueSpan.IndexOfAny(".eE"u8) >= 0) throw NotHere;
        return WholeNumber(ref r);
    }

    private static long WholeNumber(ref Utf8JsonReader r) => r.TryGetInt64(out var value) ? value : throw NotHere;
}
