using System.Buffers;
using System.Globalization;
using System.Text;
using Newtonsoft.Json;

namespace EvidenceCheck.Core.Contract;

/// <summary>
/// A report in the contract's own JSON, UTF-8: byte for byte what <see cref="ContractJson.Serialize"/> gives, encoded
/// (fields in declaration order, camelCase, nulls written, Json.NET's escaping, timestamps in
/// <see cref="ContractJson.TimestampFormat"/>), written straight into bytes. The service stores these bytes and hashes
/// them into a report's content hash, so they must never change: a resubmission would become a conflict. Json.NET's
/// writing of them was a fifth of a batch's request time. A report whose metadata holds a value other than a string, a
/// whole number, a finite number, a boolean or null is written by Json.NET itself, whole; differential tests hold the two
/// to the same bytes.
/// </summary>
public static class ContractWriter
{
    /// <param name="withoutFiles">Writes every evidence item's <c>contentBase64</c> as null (the store keeps no files).</param>
    public static byte[] ToUtf8(Report report, bool withoutFiles = false) => TryToUtf8(report, withoutFiles) ?? WithJsonNet(report, withoutFiles);

    /// <summary>The bytes written here, or null when Json.NET must write them.</summary>
    internal static byte[]? TryToUtf8(Report report, bool withoutFiles = false)
    {
        var output = _output ??= new Output();
        output.Length = 0;
        return TryWrite(output, report, withoutFiles) ? output.ToArray() : null;
    }

    /// <summary>The same bytes by Json.NET (what <see cref="ToUtf8"/> must equal, and its way for what it cannot write).</summary>
    internal static byte[] WithJsonNet(Report report, bool withoutFiles = false)
    {
        if (withoutFiles && report.Evidence is not null)
            report = Copy(report, report.Evidence.Select(e => e is null ? null : Copy(e)).ToList()!);
        return Utf8.GetBytes(ContractJson.Serialize(report));
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private static Report Copy(Report r, List<Evidence> evidence) => new()
    {
        ReportId = r.ReportId, ReceivedAt = r.ReceivedAt, Channel = r.Channel, Category = r.Category, Text = r.Text, Reporter = r.Reporter,
        ReporterSession = r.ReporterSession, Subject = r.Subject, Claims = r.Claims, Evidence = evidence,
    };

    private static Evidence Copy(Evidence e) => new()
    {
        EvidenceId = e.EvidenceId, Kind = e.Kind, FileName = e.FileName, MediaType = e.MediaType, Sha256 = e.Sha256, SizeBytes = e.SizeBytes,
        ClaimedCapturedAt = e.ClaimedCapturedAt, ContentBase64 = null, Metadata = e.Metadata,
    };

    /// <summary>A growable byte buffer, one per thread, reused.</summary>
    private sealed class Output
    {
        public byte[] Bytes = new byte[16 * 1024];
        public int Length;

        public Span<byte> Room(int atLeast)
        {
            if (Bytes.Length - Length < atLeast) Array.Resize(ref Bytes, Math.Max(Bytes.Length * 2, Length + atLeast));
            return Bytes.AsSpan(Length);
        }

        public void Add(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(Room(bytes.Length));
            Length += bytes.Length;
        }

        public void Add(byte b)
        {
            Room(1)[0] = b;
            Length++;
        }

        public byte[] ToArray()
        {
            var result = Bytes.AsSpan(0, Length).ToArray();
            // A report with large files should not keep its buffer for good.
            if (Bytes.Length > 1024 * 1024) Bytes = new byte[16 * 1024];
            return result;
        }
    }

    [ThreadStatic] private static Output? _output;

    private static bool TryWrite(Output o, Report r, bool withoutFiles)
    {
        o.Add("{\"reportId\":"u8); String(o, r.ReportId);
        o.Add(",\"receivedAt\":"u8); Time(o, r.ReceivedAt);
        o.Add(",\"channel\":"u8); String(o, r.Channel);
        o.Add(",\"category\":"u8); String(o, r.Category);
        o.Add(",\"text\":"u8); String(o, r.Text);
        o.Add(",\"reporter\":"u8); Account(o, r.Reporter);
        o.Add(",\"reporterSession\":"u8);
        if (r.ReporterSession is { } s)
        {
            o.Add("{\"ip\":"u8); String(o, s.Ip);
            o.Add(",\"deviceId\":"u8); String(o, s.DeviceId);
            o.Add(",\"country\":"u8); String(o, s.Country);
            o.Add(",\"userAgent\":"u8); String(o, s.UserAgent);
            o.Add((byte)'}');
        }
        else Null(o);
        o.Add(",\"subject\":"u8);
        if (r.Subject is { } subject)
        {
            o.Add("{\"kind\":"u8); String(o, subject.Kind);
            o.Add(",\"meeting\":"u8); Meeting(o, subject.Meeting);
            o.Add(",\"accounts\":"u8); List(o, subject.Accounts, Account);
            o.Add((byte)'}');
        }
        else Null(o);
        o.Add(",\"claims\":"u8);
        if (r.Claims is { } c)
        {
            o.Add("{\"occurredAt\":"u8); Time(o, c.OccurredAt);
            o.Add(",\"speakerAccountId\":"u8); String(o, c.SpeakerAccountId);
            o.Add(",\"quote\":"u8); String(o, c.Quote);
            o.Add((byte)'}');
        }
        else Null(o);
        o.Add(",\"evidence\":"u8);
        if (r.Evidence is { } evidence)
        {
            o.Add((byte)'[');
            for (var i = 0; i < evidence.Count; i++)
            {
                if (i > 0) o.Add((byte)',');
                if (evidence[i] is not { } e) { Null(o); continue; }
                o.Add("{\"evidenceId\":"u8); String(o, e.EvidenceId);
                o.Add(",\"kind\":"u8); String(o, e.Kind);
                o.Add(",\"fileName\":"u8); String(o, e.FileName);
                o.Add(",\"mediaType\":"u8); String(o, e.MediaType);
                o.Add(",\"sha256\":"u8); String(o, e.Sha256);
                o.Add(",\"sizeBytes\":"u8); Number(o, e.SizeBytes);
                o.Add(",\"claimedCapturedAt\":"u8); Time(o, e.ClaimedCapturedAt);
                o.Add(",\"contentBase64\":"u8); String(o, withoutFiles ? null : e.ContentBase64);
                o.Add(",\"metadata\":"u8);
                if (!Metadata(o, e.Metadata)) return false;
                o.Add((byte)'}');
            }
            o.Add((byte)']');
        }
        else Null(o);
        o.Add((byte)'}');
        return true;
    }

    private static void Account(Output o, Account? a)
    {
        if (a is null) { Null(o); return; }
        o.Add("{\"accountId\":"u8); String(o, a.AccountId);
        o.Add(",\"createdAt\":"u8); Time(o, a.CreatedAt);
        o.Add(",\"displayName\":"u8); String(o, a.DisplayName);
        o.Add(",\"email\":"u8); String(o, a.Email);
        o.Add(",\"emailVerified\":"u8); Bool(o, a.EmailVerified);
        o.Add(",\"country\":"u8); String(o, a.Country);
        o.Add(",\"meetingsAttended\":"u8); Number(o, a.MeetingsAttended);
        o.Add(",\"reportsFiled\":"u8); Number(o, a.ReportsFiled);
        o.Add(",\"reportsUpheld\":"u8); Number(o, a.ReportsUpheld);
        o.Add(",\"signupIp\":"u8); String(o, a.SignupIp);
        o.Add(",\"deviceIds\":"u8); List(o, a.DeviceIds, String);
        o.Add((byte)'}');
    }

    private static void Meeting(Output o, Meeting? m)
    {
        if (m is null) { Null(o); return; }
        o.Add("{\"meetingId\":"u8); String(o, m.MeetingId);
        o.Add(",\"title\":"u8); String(o, m.Title);
        o.Add(",\"tags\":"u8); List(o, m.Tags, String);
        o.Add(",\"hostAccountId\":"u8); String(o, m.HostAccountId);
        o.Add(",\"scheduledAt\":"u8); Time(o, m.ScheduledAt);
        o.Add(",\"startedAt\":"u8); Time(o, m.StartedAt);
        o.Add(",\"endedAt\":"u8); Time(o, m.EndedAt);
        o.Add(",\"participants\":"u8); List(o, m.Participants, Participant);
        o.Add(",\"chat\":"u8); List(o, m.Chat, Chat);
        o.Add((byte)'}');
    }

    private static void Participant(Output o, Participant? p)
    {
        if (p is null) { Null(o); return; }
        o.Add("{\"accountId\":"u8); String(o, p.AccountId);
        o.Add(",\"displayName\":"u8); String(o, p.DisplayName);
        o.Add(",\"joinedAt\":"u8); Time(o, p.JoinedAt);
        o.Add(",\"leftAt\":"u8); Time(o, p.LeftAt);
        o.Add(",\"ip\":"u8); String(o, p.Ip);
        o.Add(",\"country\":"u8); String(o, p.Country);
        o.Add((byte)'}');
    }

    private static void Chat(Output o, ChatMessage? m)
    {
        if (m is null) { Null(o); return; }
        o.Add("{\"accountId\":"u8); String(o, m.AccountId);
        o.Add(",\"sentAt\":"u8); Time(o, m.SentAt);
        o.Add(",\"text\":"u8); String(o, m.Text);
        o.Add((byte)'}');
    }

    private static void List<T>(Output o, List<T>? items, Action<Output, T> write)
    {
        if (items is null) { Null(o); return; }
        o.Add((byte)'[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) o.Add((byte)',');
            write(o, items[i]);
        }
        o.Add((byte)']');
    }

    // Keys are camelCased as Json.NET's resolver does it for a dictionary (its own rule, called, not copied).
    private static readonly Newtonsoft.Json.Serialization.NamingStrategy KeyNaming =
        ((Newtonsoft.Json.Serialization.DefaultContractResolver)ContractJson.WriteSettings.ContractResolver!).NamingStrategy!;

    /// <summary>False for a value this writer has no rule for (Json.NET then writes the report).</summary>
    private static bool Metadata(Output o, Dictionary<string, object?>? metadata)
    {
        if (metadata is null) { Null(o); return true; }
        o.Add((byte)'{');
        var first = true;
        foreach (var (key, value) in metadata)
        {
            if (!first) o.Add((byte)',');
            first = false;
            String(o, KeyNaming.GetDictionaryKey(key));
            o.Add((byte)':');
            switch (value)
            {
                case null: Null(o); break;
                case string s: String(o, s); break;
                case long l: Number(o, l); break;
                case int i: Number(o, i); break;
                case bool b: Bool(o, b); break;
                case double d when double.IsFinite(d): Double(o, d); break;
                default: return false;
            }
        }
        o.Add((byte)'}');
        return true;
    }

    private static void Null(Output o) => o.Add("null"u8);

    private static void Bool(Output o, bool? b)
    {
        if (b is { } v) o.Add(v ? "true"u8 : "false"u8);
        else Null(o);
    }

    private static void Number(Output o, long? n)
    {
        if (n is not { } v) { Null(o); return; }
        v.TryFormat(o.Room(20), out var written, default, CultureInfo.InvariantCulture);
        o.Length += written;
    }

    /// <summary>As Json.NET: the shortest round-trip form, with ".0" when it would otherwise read as a whole number.</summary>
    private static void Double(Output o, double d)
    {
        var room = o.Room(32);
        d.TryFormat(room, out var written, "R", CultureInfo.InvariantCulture);
        var text = room[..written];
        o.Length += written;
        if (text.IndexOfAny(".Ee"u8) < 0) o.Add(".0"u8);
    }

    private static void Time(Output o, DateTimeOffset? t)
    {
        if (t is not { } v) { Null(o); return; }
        var room = o.Room(ContractJson.MaxTimestampLength + 2);
        room[0] = (byte)'"';
        var written = ContractJson.FormatTimestamp(v, room[1..]);
        room[1 + written] = (byte)'"';
        o.Length += written + 2;
    }

    // What Json.NET escapes by default: control characters, the quote, the backslash, and three line breaks.
    private static readonly SearchValues<char> Escaped = SearchValues.Create(
        "\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\\u0085\u2028\u2029");

    /// <summary>
    /// A string as Json.NET writes it, then as a UTF-8 encoder gives it: a lone surrogate becomes U+FFFD. Escaped characters
    /// are never surrogates, so a pair never straddles two runs and each run is encoded on its own.
    /// </summary>
    private static void String(Output o, string? s)
    {
        if (s is null) { Null(o); return; }
        o.Add((byte)'"');
        var rest = s.AsSpan();
        while (!rest.IsEmpty)
        {
            var plain = rest.IndexOfAny(Escaped);
            var run = plain < 0 ? rest : rest[..plain];
            Plain(o, run);
            if (plain < 0) break;
            Escape(o, rest[plain]);
            rest = rest[(plain + 1)..];
        }
        o.Add((byte)'"');
    }

    /// <summary>Text with nothing to escape, in slices small enough that the buffer's headroom stays modest.</summary>
    private static void Plain(Output o, ReadOnlySpan<char> run)
    {
        const int Slice = 16 * 1024;
        while (run.Length > Slice)
        {
            // Never between the two halves of a pair.
            var cut = char.IsHighSurrogate(run[Slice - 1]) ? Slice - 1 : Slice;
            o.Length += Utf8.GetBytes(run[..cut], o.Room(cut * 3));
            run = run[cut..];
        }
        o.Length += Utf8.GetBytes(run, o.Room(run.Length * 3));
    }

    private static void Escape(Output o, char c)
    {
        switch (c)
        {
            case '"': o.Add("\\\""u8); return;
            case '\\': o.Add("\\\\"u8); return;
            case '\b': o.Add("\\b"u8); return;
            case '\f': o.Add("\\f"u8); return;
            case '\n': o.Add("\\n"u8); return;
            case '\r': o.Add("\\r"u8); return;
            case '\t': o.Add("\\t"u8); return;
        }
        var room = o.Room(6);
        room[0] = (byte)'\\';
        room[1] = (byte)'u';
        for (var i = 0; i < 4; i++) room[2 + i] = (byte)"0123456789abcdef"[(c >> (12 - 4 * i)) & 0xF];
        o.Length += 6;
    }
}
