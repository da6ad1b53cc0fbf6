using System.Text;

namespace EvidenceCheck.Core.Contract;

/// <summary>One line of a JSON Lines input: its 1-based number, and its text or why it was refused.</summary>
public readonly record struct JsonLine(int Number, string? Text, string? Error);

/// <summary>
/// Splits JSON Lines input without ever holding more than one line: memory stays flat however
/// long the input. A line longer than the limit is skipped to its end and reported, not loaded.
/// Blank lines are ignored. Read through <see cref="Utf8Text.Marking"/>, a line with bytes that are not UTF-8 is
/// refused with its number rather than read with replacement characters.
/// </summary>
public static class JsonLinesReader
{
    /// <summary>Default longest line: a report with its evidence files inlined (DESIGN.md: size-limited).</summary>
    public const int DefaultMaxLineChars = 32 * 1024 * 1024;

    public static IEnumerable<JsonLine> Read(TextReader reader, int maxLineChars = DefaultMaxLineChars)
    {
        var buffer = new char[64 * 1024];
        var line = new StringBuilder();
        var number = 1;
        var tooLong = false;
        long skipped = 0;
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n') continue;
                var result = Finish(buffer.AsSpan(start, i - start));
                if (result is { } r) yield return r;
                number++;
                start = i + 1;
            }
            Append(buffer.AsSpan(start, read - start));
        }
        if (Finish([]) is { } last) yield return last;

        void Append(ReadOnlySpan<char> part)
        {
            if (tooLong) { skipped += part.Length; return; }
            if (line.Length + part.Length > maxLineChars) { tooLong = true; skipped = line.Length + part.Length; line.Clear(); return; }
            line.Append(part);
        }

        JsonLine? Finish(ReadOnlySpan<char> tail)
        {
            Append(tail);
            JsonLine? result;
            if (tooLong)
                result = new JsonLine(number, null, $"line is {skipped:N0} characters long; the limit is {maxLineChars:N0}");
            else
            {
                var text = line.ToString().TrimEnd('\r');
                var invalid = text.IndexOf(Utf8Text.InvalidMark);
                result = string.IsNullOrWhiteSpace(text) ? null
                    : invalid >= 0 ? new JsonLine(number, null, $"not UTF-8 at column {invalid + 1}: save the input as UTF-8")
                    : new JsonLine(number, text, null);
            }
            line.Clear();
            tooLong = false;
            skipped = 0;
            return result;
        }
    }
}
