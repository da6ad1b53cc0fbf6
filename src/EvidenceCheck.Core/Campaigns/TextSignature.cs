namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// MinHash of a report's word 3-shingles (character 3-shingles in Chinese and Japanese), and its
/// locality-sensitive bands: texts whose shingle sets are alike share a band with high probability,
/// so near-duplicates are found by looking up a few band keys, never by comparing a report with
/// every other one. Coordinated reports reuse a script with small edits; honest witnesses describe
/// the same event in their own words.
/// </summary>
public static class TextSignature
{
    /// <summary>32 hash functions in 8 bands of 4 rows: pairs at similarity 0.8 share a band 98% of the time, at 0.3 under 7%.</summary>
    public const int Hashes = 32, Bands = 8, Rows = Hashes / Bands;

    private static readonly ulong[] Seeds = Enumerable.Range(0, Hashes).Select(i => StableHash.Mix(0x9E3779B97F4A7C15UL * (ulong)(i + 1))).ToArray();

    /// <summary>
    /// The signature of a text, or null when it has fewer than <paramref name="minWords"/> words (two Chinese or Japanese
    /// characters count as one word: a word there is one to a few characters).
    /// </summary>
    public static uint[]? Of(string? text, int minWords)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = Words(text, out var characterWords);
        if (words.Count - characterWords / 2.0 < minWords) return null;
        var signature = new uint[Hashes];
        Array.Fill(signature, uint.MaxValue);
        for (var i = 0; i + 2 < words.Count; i++)
        {
            var shingle = StableHash.Add(StableHash.Add(StableHash.Add(14695981039346656037UL, words[i]), words[i + 1]), words[i + 2]);
            for (var h = 0; h < Hashes; h++)
            {
                var v = (uint)(StableHash.Mix(shingle ^ Seeds[h]) >> 32);
                if (v < signature[h]) signature[h] = v;
            }
        }
        return signature;
    }

    /// <summary>Estimated Jaccard similarity of the two shingle sets, 0..1.</summary>
    public static double Similarity(uint[] a, uint[] b)
    {
        var same = 0;
        for (var i = 0; i < Hashes; i++) if (a[i] == b[i]) same++;
        return (double)same / Hashes;
    }

    /// <summary>The key of band <paramref name="band"/> (0..Bands-1) of a signature.</summary>
    public static ulong BandKey(uint[] signature, int band)
    {
        var h = StableHash.Add(StableHash.Of("band"), (ulong)band);
        for (var r = 0; r < Rows; r++) h = StableHash.Add(h, signature[band * Rows + r]);
        return h;
    }

    /// <summary>
    /// Lower-case words of letters and digits (any script), full-width forms read as the ASCII they stand for:
    /// punctuation, spacing and width tricks do not hide a copy. Chinese and Japanese are written without spaces,
    /// so there each ideograph or kana is a word of its own (<paramref name="characterWords"/> counts them):
    /// otherwise a sentence would be one "word", changed whole by any edit, and a report of a few sentences too
    /// short to compare at all.
    /// </summary>
    internal static List<string> Words(string text, out int characterWords)
    {
        text = FoldWidth(text);
        var words = new List<string>();
        characterWords = 0;
        var start = -1;
        for (var i = 0; i <= text.Length;)
        {
            var width = 1;
            var inWord = false;
            var character = false;
            if (i < text.Length && System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out width) == System.Buffers.OperationStatus.Done)
            {
                inWord = System.Text.Rune.IsLetterOrDigit(rune);
                character = inWord && WrittenWithoutSpaces(rune.Value);
            }
            if (start >= 0 && (!inWord || character))
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
            if (character)
            {
                words.Add(text.Substring(i, width));
                characterWords++;
            }
            else if (inWord && start < 0) start = i;
            i += width;
        }
        return words;
    }

    /// <summary>Full-width ASCII (U+FF01..U+FF5E) as ASCII; the rest as it is.</summary>
    private static string FoldWidth(string text) =>
        text.AsSpan().IndexOfAnyInRange('\uFF01', '\uFF5E') < 0 ? text
            : string.Create(text.Length, text, static (folded, t) =>
            {
                for (var i = 0; i < t.Length; i++) folded[i] = t[i] is >= '\uFF01' and <= '\uFF5E' ? (char)(t[i] - 0xFEE0) : t[i];
            });

    /// <summary>Han ideographs (all blocks, including the supplementary planes) and Japanese kana (also half-width).</summary>
    private static bool WrittenWithoutSpaces(int c) =>
        c is >= 0x3040 and <= 0x30FF      // Hiragana, Katakana
          or >= 0x31F0 and <= 0x31FF      // Katakana phonetic extensions
          or >= 0x3400 and <= 0x4DBF      // CJK extension A
          or >= 0x4E00 and <= 0x9FFF      // CJK unified ideographs
          or >= 0xF900 and <= 0xFAFF      // CJK compatibility ideographs
          or >= 0xFF66 and <= 0xFF9F      // half-width katakana
          or >= 0x20000 and <= 0x3FFFF;   // CJK extensions B and later

    public static string Encode(uint[] signature) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()));

    public static uint[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length != Hashes * 4) throw new FormatException("not a text signature");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray();
    }
}
