using System.Text.RegularExpressions;
using Newtonsoft.Json;
using Newtonsoft.Json.Serialization;

namespace EvidenceCheck.Core.Contract;

/// <summary>The outcome of reading one report: the report when it is acceptable, otherwise every problem found.</summary>
public sealed record ReportParse(Report? Report, IReadOnlyList<ContractError> Errors)
{
    public bool Ok => Report is not null && Errors.Count == 0;
}

/// <summary>
/// Reads reports in the v1 contract from JSON text and validates them, naming the JSON path of
/// every problem. Not thread-safe: one reader per thread (<see cref="Parse"/> keeps one for you).
/// </summary>
public sealed partial class ReportReader
{
    /// <summary>Contract limits (DESIGN.md).</summary>
    public const int MaxReportIdLength = 128, MaxTextLength = 20_000;

    private readonly JsonSerializer _serializer;
    private readonly List<ContractError> _errors = [];
    private bool _truncated;
    // The text being read, while it is: where a refused value is, for errors that do not say.
    private JsonTextReader? _text;

    [ThreadStatic] private static ReportReader? _perThread;

    public ReportReader()
    {
        _serializer = JsonSerializer.Create(ContractJson.ReadSettings);
        _serializer.Error += OnError;
    }

    /// <summary>Reads one report with this thread's reader.</summary>
    public static ReportParse Parse(string json) => (_perThread ??= new ReportReader()).Read(json);

    /// <summary>
    /// Reads one report from its UTF-8 bytes (a leading byte-order mark skipped): an acceptable report straight from the
    /// bytes (<see cref="Utf8ReportReader"/>), anything else as text with this thread's reader, which names every problem.
    /// The outcome is the same either way; bytes that are not UTF-8 are refused with where they are.
    /// </summary>
    public static ReportParse Parse(ReadOnlySpan<byte> utf8) =>
        ParseAcceptable(utf8) ?? (Utf8Text.Decode(utf8, out var notText) is { } json ? Parse(json) : new ReportParse(null, [notText!]));

    /// <summary>An acceptable report read straight from its UTF-8 bytes; null when the text must be read to say what it is.</summary>
    public static ReportParse? ParseAcceptable(ReadOnlySpan<byte> utf8) =>
        Utf8ReportReader.TryRead(utf8) is { } report && !ReportValidator.Validate(report).Any() ? new ReportParse(report, []) : null;

    public ReportParse Read(string json)
    {
        _errors.Clear();
        _truncated = false;
        Report? report = null;
        try
        {
            using var text = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None, MaxDepth = 32, SupportMultipleContent = true };
            _text = text;
            if (!text.Read() || text.TokenType == JsonToken.Comment)
                return Fail(new ContractError("", "empty input: expected a report object"));
            if (text.TokenType != JsonToken.StartObject)
                return Fail(new ContractError("", $"expected a report object, got {StrictValueConverter.Describe(text)}", text.LineNumber, text.LinePosition));
            report = _serializer.Deserialize<Report>(text);
            if (text.Read() && text.TokenType != JsonToken.Comment)
                _errors.Add(new ContractError("", "unexpected content after the report object", text.LineNumber, text.LinePosition));
        }
        catch (JsonReaderException e)
        {
            // Broken JSON: the reader cannot continue past it, so this is the only error reported.
            return Fail(new ContractError(e.Path ?? "", "malformed JSON: " + CleanMessage(e.Message), e.LineNumber, e.LinePosition));
        }
        catch (JsonException e)
        {
            return Fail(new ContractError("", CleanMessage(e.Message)));
        }
        finally { _text = null; }
        if (report is null) return Fail(new ContractError("", "expected a report object"));
        // Text that ends early leaves later fields unread: "required" for them would only mislead.
        if (_truncated) return new ReportParse(null, _errors.ToArray());
        var errorPaths = _errors.Select(e => e.Path).ToHashSet();
        foreach (var problem in ReportValidator.Validate(report))
            if (!errorPaths.Contains(problem.Path)) _errors.Add(problem);
        return _errors.Count == 0 ? new ReportParse(report, []) : new ReportParse(null, _errors.ToArray());
    }

    private ReportParse Fail(ContractError error)
    {
        _errors.Add(error);
        return new ReportParse(null, _errors.ToArray());
    }

    private void OnError(object? sender, Newtonsoft.Json.Serialization.ErrorEventArgs e)
    {
        // The same error is raised once per enclosing object; keep it where it happened.
        if (e.CurrentObject != e.ErrorContext.OriginalObject) return;
        // A reader error leaves the text unreadable from here on: let it end the read.
        if (e.ErrorContext.Error is JsonReaderException) return;
        e.ErrorContext.Handled = true;
        // A value of the wrong type is refused by the converters, whose exceptions carry no place: the reader is just past it.
        var (line, position) = e.ErrorContext.Error is JsonSerializationException { LineNumber: > 0 } s ? (s.LineNumber, s.LinePosition)
            : _text is { LineNumber: > 0 } reader ? (reader.LineNumber, reader.LinePosition) : (0, 0);
        var path = e.ErrorContext.Path ?? "";
        var raw = e.ErrorContext.Error.Message;
        // Json.NET reports an object-for-array mismatch from inside the object; the field is the array itself.
        if (raw.StartsWith("Cannot deserialize the current JSON object", StringComparison.Ordinal)
            && e.ErrorContext.Member is string member && path.LastIndexOf(member, StringComparison.Ordinal) is var at and >= 0)
            path = path[..(at + member.Length)];
        if (_errors.Any(x => x.Path == path)) return;
        var message = CleanMessage(raw);
        if (raw.StartsWith("Unexpected end", StringComparison.Ordinal))
        {
            _truncated = true;
            message = "malformed JSON: the text ends before the report does";
        }
        _errors.Add(new ContractError(path, message, line > 0 ? line : null, line > 0 ? position : null));
    }

    /// <summary>Turns Json.NET's messages (type names, trailing "Path ..., line ...") into the field's own terms.</summary>
    internal static string CleanMessage(string message)
    {
        var m = PathSuffix().Replace(message, "");
        if (m.StartsWith("Cannot deserialize the current JSON array", StringComparison.Ordinal)) return "expected an object, got an array";
        if (m.StartsWith("Cannot deserialize the current JSON object", StringComparison.Ordinal)) return "expected an array, got an object";
        if (ConvertingValue().Match(m) is { Success: true } c) return $"expected {Friendly(c.Groups[2].Value)}, got {c.Groups[1].Value}";
        if (m.StartsWith("Unexpected character encountered while parsing value", StringComparison.Ordinal)) return "expected a value of the field's type";
        return m.TrimEnd('.');
    }

    private static string Friendly(string typeName) => typeName switch
    {
        _ when typeName.StartsWith("System.Collections.Generic.List", StringComparison.Ordinal) => "an array",
        _ when typeName.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => "an object",
        _ when typeName.StartsWith("EvidenceCheck.", StringComparison.Ordinal) => "an object",
        _ => typeName,
    };

    [GeneratedRegex(@"\s*Path '[^']*'(, line \d+, position \d+)?\.?$")]
    private static partial Regex PathSuffix();

    [GeneratedRegex(@"^Error converting value (.*) to type '([^']+)'")]
    private static partial Regex ConvertingValue();
}

/// <summary>Json.NET settings for the contract: camelCase, strict scalars, unknown fields ignored.</summary>
public static class ContractJson
{
    public static readonly JsonSerializerSettings ReadSettings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        DateParseHandling = DateParseHandling.None,
        MissingMemberHandling = MissingMemberHandling.Ignore,
        MetadataPropertyHandling = MetadataPropertyHandling.Ignore,
        TypeNameHandling = TypeNameHandling.None,
        MaxDepth = 32,
        Converters = [new StrictValueConverter()],
    };

    /// <summary>RFC 3339 with the offset kept, fractions only when present.</summary>
    public const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFK";

    /// <summary>The longest a timestamp in <see cref="TimestampFormat"/> is: <c>9999-12-31T23:59:59.9999999+14:00</c>.</summary>
    public const int MaxTimestampLength = 33;

    /// <summary>
    /// <paramref name="t"/> in <see cref="TimestampFormat"/>, as UTF-8, into <paramref name="into"/> (at least
    /// <see cref="MaxTimestampLength"/> bytes); returns the length. The same bytes as formatting with the pattern, which took
    /// the general custom-format path for each of the several timestamps every report and score is written with.
    /// </summary>
    public static int FormatTimestamp(DateTimeOffset t, Span<byte> into)
    {
        var clock = t.DateTime;
        Digits(into[..4], clock.Year);
        into[4] = (byte)'-';
        Digits(into[5..7], clock.Month);
        into[7] = (byte)'-';
        Digits(into[8..10], clock.Day);
        into[10] = (byte)'T';
        Digits(into[11..13], clock.Hour);
        into[13] = (byte)':';
        Digits(into[14..16], clock.Minute);
        into[16] = (byte)':';
        Digits(into[17..19], clock.Second);
        var n = 19;
        // FFFFFFF: the fraction of the second without its trailing zeros, and no point at all when it is zero.
        var fraction = (int)(clock.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            var digits = 7;
            for (; fraction % 10 == 0; digits--) fraction /= 10;
            into[n++] = (byte)'.';
            Digits(into.Slice(n, digits), fraction);
            n += digits;
        }
        // K of a DateTimeOffset: its offset, signed, hours and minutes (+00:00 for UTC).
        var minutes = (int)(t.Offset.Ticks / TimeSpan.TicksPerMinute);
        into[n] = minutes < 0 ? (byte)'-' : (byte)'+';
        minutes = Math.Abs(minutes);
        Digits(into.Slice(n + 1, 2), minutes / 60);
        into[n + 3] = (byte)':';
        Digits(into.Slice(n + 4, 2), minutes % 60);
        return n + 6;
    }

    /// <summary>A non-negative number as exactly <c>into.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> into, int value)
    {
        for (var i = into.Length - 1; i >= 0; i--, value /= 10) into[i] = (byte)('0' + value % 10);
    }

    public static readonly JsonSerializerSettings WriteSettings = new()
    {
        ContractResolver = new CamelCasePropertyNamesContractResolver(),
        DateFormatString = TimestampFormat,
        NullValueHandling = NullValueHandling.Include,
        Formatting = Formatting.None,
    };

    public static string Serialize(object value) => JsonConvert.SerializeObject(value, WriteSettings);
}
