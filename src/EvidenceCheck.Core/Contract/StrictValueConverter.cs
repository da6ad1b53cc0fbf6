using System.Globalization;
using Newtonsoft.Json;

namespace EvidenceCheck.Core.Contract;

/// <summary>
/// Reads the contract's scalar fields strictly: a number is not a string, a string is not a
/// number, and a timestamp is RFC 3339 with an explicit offset. Json.NET's own coercions would
/// let a wrong type through silently, and a silently wrong timestamp is a wrong verdict.
/// </summary>
internal sealed class StrictValueConverter : JsonConverter
{
    public override bool CanWrite => false;

    public override bool CanConvert(Type objectType) =>
        objectType == typeof(string) || objectType == typeof(int?) || objectType == typeof(long?)
        || objectType == typeof(bool?) || objectType == typeof(DateTimeOffset?) || objectType == typeof(double?);

    public override object? ReadJson(JsonReader reader, Type objectType, object? existingValue, JsonSerializer serializer)
    {
        if (reader.TokenType == JsonToken.Null) return null;
        if (objectType == typeof(string))
            return reader.TokenType == JsonToken.String ? (string?)reader.Value : throw Wrong("a string", reader);
        if (objectType == typeof(DateTimeOffset?))
            return reader.TokenType == JsonToken.String
                ? Timestamps.ParseRfc3339((string)reader.Value!)
                : throw Wrong("a timestamp string (RFC 3339)", reader);
        if (objectType == typeof(bool?))
            return reader.TokenType == JsonToken.Boolean ? (bool)reader.Value! : throw Wrong("true or false", reader);
        if (objectType == typeof(double?))
            return reader.TokenType is JsonToken.Integer or JsonToken.Float
                ? Convert.ToDouble(reader.Value, CultureInfo.InvariantCulture)
                : throw Wrong("a number", reader);
        // int? and long?: whole numbers within range only.
        if (reader.TokenType != JsonToken.Integer) throw Wrong("a whole number", reader);
        var value = reader.Value switch
        {
            long l => l,
            System.Numerics.BigInteger => throw new ContractException("number out of range"),
            var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
        };
        if (objectType == typeof(int?))
            return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw new ContractException("number out of range");
        return value;
    }

    public override void WriteJson(JsonWriter writer, object? value, JsonSerializer serializer) =>
        throw new NotSupportedException();

    private static ContractException Wrong(string expected, JsonReader reader) =>
        new($"expected {expected}, got {Describe(reader)}");

    internal static string Describe(JsonReader reader) => reader.TokenType switch
    {
        JsonToken.StartObject => "an object",
        JsonToken.StartArray => "an array",
        JsonToken.String => $"the string \"{Shorten((string)reader.Value!)}\"",
        JsonToken.Integer or JsonToken.Float => $"the number {Convert.ToString(reader.Value, CultureInfo.InvariantCulture)}",
        JsonToken.Boolean => (bool)reader.Value! ? "true" : "false",
        _ => reader.TokenType.ToString().ToLowerInvariant(),
    };

    internal static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}

/// <summary>RFC 3339 timestamps as the contract requires them: date, time and an explicit offset.</summary>
public static class Timestamps
{
    private static readonly string[] Formats =
        ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd't'HH:mm:ssK", "yyyy-MM-dd't'HH:mm:ss.FFFFFFFK"];

    public static DateTimeOffset ParseRfc3339(string text) => TryParseCommon(text) ?? ParseExactly(text);

    /// <summary>
    /// The usual shape, <c>2020-06-03T14:10:00Z</c> or <c>2020-06-03T14:10:00.250+08:00</c>, read by hand: a report holds a
    /// dozen timestamps and the format-driven parse cost more than the rest of reading one. Null for anything else (lower
    /// case letters, odd lengths, a value out of range), which <see cref="ParseExactly"/> reads or refuses as before.
    /// </summary>
    internal static DateTimeOffset? TryParseCommon(ReadOnlySpan<char> s)
    {
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return null;
        int end, fraction = 0;
        if (s[19] == '.')
        {
            end = 20;
            while (end < s.Length && end < 27 && char.IsAsciiDigit(s[end])) fraction = fraction * 10 + (s[end++] - '0');
            if (end == 20) return null;
            for (var scale = end; scale < 27; scale++) fraction *= 10;
        }
        else end = 19;
        TimeSpan offset;
        if (s.Length == end + 1 && s[end] == 'Z') offset = TimeSpan.Zero;
        else if (s.Length == end + 6 && s[end] is '+' or '-' && s[end + 3] == ':' && Digits(s, end + 1, 2) is { } oh and <= 14 && Digits(s, end + 4, 2) is { } om and <= 59)
            offset = new TimeSpan(s[end] == '-' ? -oh : oh, s[end] == '-' ? -om : om, 0);
        else return null;
        if (Digits(s, 0, 4) is not { } year || Digits(s, 5, 2) is not { } month || Digits(s, 8, 2) is not { } day
            || Digits(s, 11, 2) is not { } hour || Digits(s, 14, 2) is not { } minute || Digits(s, 17, 2) is not { } second) return null;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59
            || offset.Duration() > TimeSpan.FromHours(14)) return null;
        var local = new DateTime(year, month, day, hour, minute, second).AddTicks(fraction);
        // The instant must exist in UTC too (0001-01-01T00:00:00+01:00 does not).
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks) return null;
        return new DateTimeOffset(local, offset);
    }

    private static int? Digits(ReadOnlySpan<char> s, int at, int count)
    {
        var value = 0;
        for (var i = at; i < at + count; i++)
        {
            if (!char.IsAsciiDigit(s[i])) return null;
            value = value * 10 + (s[i] - '0');
        }
        return value;
    }

    /// <summary>RFC 3339 read by the formats the contract has always used; the reference <see cref="TryParseCommon"/> is tested against.</summary>
    internal static DateTimeOffset ParseExactly(string text)
    {
        if (!HasExplicitOffset(text))
            throw new ContractException($"not a timestamp with an offset: \"{StrictValueConverter.Shorten(text)}\" (RFC 3339, e.g. 2020-06-03T14:10:00Z)");
        if (!DateTimeOffset.TryParseExact(text.EndsWith('z') ? text[..^1] + "Z" : text, Formats,
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
            throw new ContractException($"not a timestamp: \"{StrictValueConverter.Shorten(text)}\" (RFC 3339, e.g. 2020-06-03T14:10:00Z)");
        return value;
    }

    private static bool HasExplicitOffset(string s)
    {
        if (s.Length < 20) return false;
        var last = s[^1];
        if (last is 'Z' or 'z') return true;
        // ...+hh:mm or ...-hh:mm
        return s.Length >= 25 && s[^3] == ':' && (s[^6] == '+' || s[^6] == '-');
    }
}
