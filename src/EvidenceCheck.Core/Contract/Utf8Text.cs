using System.Text;

namespace EvidenceCheck.Core.Contract;

/// <summary>
/// Reports arrive as UTF-8 (RFC 8259). Bytes that are not UTF-8 are refused, never replaced: a replaced byte
/// would change the text reviewers read, and two different report ids would become the same one.
/// A leading byte-order mark is skipped, as RFC 8259 allows.
/// </summary>
public static class Utf8Text
{
    /// <summary>The text, or null with <paramref name="error"/> saying where the first byte that is not UTF-8 is.</summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, out ContractError? error)
    {
        if (bytes.StartsWith("\uFEFF"u8)) bytes = bytes[3..];
        error = null;
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);

        var at = 0;
        while (System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out var used) == System.Buffers.OperationStatus.Done) at += used;
        var before = bytes[..at];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        error = new ContractError("", $"not UTF-8: byte {at + 1} (0x{bytes[at]:X2}) does not belong to a UTF-8 character; send the report as UTF-8",
            1 + before.Count((byte)'\n'), Encoding.UTF8.GetCharCount(before[lineStart..]) + 1);
        return null;
    }

    /// <summary>What a byte that is not UTF-8 reads as through <see cref="Marking"/>: a noncharacter, never in real text.</summary>
    public const char InvalidMark = '\uFFFF';

    /// <summary>
    /// UTF-8 for streams read as text (files and standard input): a byte that is not UTF-8 reads as
    /// <see cref="InvalidMark"/> instead of U+FFFD, so <see cref="JsonLinesReader"/> can refuse that line, with its number.
    /// </summary>
    public static Encoding Marking { get; } = CreateMarking();

    private static Encoding CreateMarking()
    {
        // With a preamble, StreamReader skips a leading byte-order mark itself; its own detection would swap this encoding for Encoding.UTF8.
        var encoding = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
        encoding.DecoderFallback = new DecoderReplacementFallback(InvalidMark.ToString());
        return encoding;
    }
}
