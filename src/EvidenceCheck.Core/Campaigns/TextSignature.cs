using System.Runtime.Intrinsics;

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
        // Words are hashed where they lie, three at a time: no string per word (they were a twentieth of all a report
        // allocated). The same hashes as hashing each word's string, which is how stored signatures were made: StableHash
        // streams characters.
        var words = new WordCursor(text);
        try
        {
            // The minimum of each hash function so far, as the top halves of its 64-bit values (so one lane each).
            Span<ulong> minima = stackalloc ulong[Hashes];
            minima.Fill(uint.MaxValue);
            Word first = default, second = default;
            var count = 0;
            while (words.Next(out var word))
            {
                if (++count >= 3)
                {
                    var shingle = StableHash.Add(StableHash.Add(StableHash.Add(14695981039346656037UL, words.Text(first)), words.Text(second)), words.Text(word));
                    if (Vector256.IsHardwareAccelerated) FoldVectors(shingle, minima);
                    else FoldScalar(shingle, minima);
                }
                (first, second) = (second, word);
            }
            if (count - words.CharacterWords / 2.0 < minWords) return null;
            var signature = new uint[Hashes];
            for (var h = 0; h < Hashes; h++) signature[h] = (uint)minima[h];
            return signature;
        }
        finally { words.Dispose(); }
    }

    /// <summary>One shingle's 32 hashes, each kept where it is below the minimum so far: the hashes of a report's text, one at a time.</summary>
    internal static void FoldScalar(ulong shingle, Span<ulong> minima)
    {
        for (var h = 0; h < Hashes; h++) minima[h] = Math.Min(minima[h], StableHash.Mix(shingle ^ Seeds[h]) >> 32);
    }

    private static readonly Vector256<ulong>[] SeedVectors = Enumerable.Range(0, Hashes / 4).Select(i => Vector256.Create(Seeds.AsSpan(4 * i, 4))).ToArray();

    /// <summary>
    /// <see cref="FoldScalar"/> four hash functions at a time (SplitMix64 is shifts, xors and multiplications, lane by lane):
    /// the same minima. The hashing was most of the time spent computing a signature, and a signature a twentieth of what the
    /// request threads do for a report (perf, batch phase).
    /// </summary>
    internal static void FoldVectors(ulong shingle, Span<ulong> minima)
    {
        var s = Vector256.Create(shingle);
        var c1 = Vector256.Create(0xBF58476D1CE4E5B9UL);
        var c2 = Vector256.Create(0x94D049BB133111EBUL);
        var lanes = System.Runtime.InteropServices.MemoryMarshal.Cast<ulong, Vector256<ulong>>(minima);
        for (var v = 0; v < lanes.Length; v++)
        {
            var z = s ^ SeedVectors[v];
            z = (z ^ Vector256.ShiftRightLogical(z, 30)) * c1;
            z = (z ^ Vector256.ShiftRightLogical(z, 27)) * c2;
            z ^= Vector256.ShiftRightLogical(z, 31);
            lanes[v] = Vector256.Min(lanes[v], Vector256.ShiftRightLogical(z, 32));
        }
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
        var cursor = new WordCursor(text);
        try
        {
            var words = new List<string>();
            while (cursor.Next(out var word)) words.Add(new string(cursor.Text(word)));
            characterWords = cursor.CharacterWords;
            return words;
        }
        finally { cursor.Dispose(); }
    }

    /// <summary>Where a word is in <see cref="WordCursor"/>'s buffer.</summary>
    private readonly record struct Word(int Start, int Length);

    /// <summary>
    /// The words of a text (<see cref="Words"/>), one after another. Each is written into a buffer at its place in the text
    /// as it is found, lower-cased (the same characters as <c>ToLowerInvariant</c> of its string) or, an ideograph or kana,
    /// as it is. Dispose it to give the buffer back.
    /// </summary>
    private ref struct WordCursor
    {
        private readonly string _folded;
        private char[]? _buffer;
        private int _i, _start, _character;

        public WordCursor(string text)
        {
            _folded = FoldWidth(text);
            _buffer = System.Buffers.ArrayPool<char>.Shared.Rent(Math.Max(1, _folded.Length));
            _start = -1;
            _character = -1;
        }

        /// <summary>Ideographs and kana met so far, each a word of its own.</summary>
        public int CharacterWords { get; private set; }

        public readonly ReadOnlySpan<char> Text(Word word) => _buffer.AsSpan(word.Start, word.Length);

        public bool Next(out Word word)
        {
            if (_character >= 0)
            {
                // An ideograph or kana that ended the word before it: that word went first, the character now.
                word = Copied(_character, _i - _character);
                _character = -1;
                return true;
            }
            while (_i <= _folded.Length)
            {
                var i = _i;
                var width = 1;
                var inWord = false;
                var character = false;
                if (i < _folded.Length && System.Text.Rune.DecodeFromUtf16(_folded.AsSpan(i), out var rune, out width) == System.Buffers.OperationStatus.Done)
                {
                    inWord = System.Text.Rune.IsLetterOrDigit(rune);
                    character = inWord && WrittenWithoutSpaces(rune.Value);
                }
                _i = i + width;
                if (character) CharacterWords++;
                if (_start >= 0 && (!inWord || character))
                {
                    var start = _start;
                    _start = -1;
                    if (character) _character = i;
                    _folded.AsSpan(start, i - start).ToLowerInvariant(_buffer.AsSpan(start));
                    word = new Word(start, i - start);
                    return true;
                }
                if (character)
                {
                    word = Copied(i, width);
                    return true;
                }
                if (inWord && _start < 0) _start = i;
            }
            word = default;
            return false;
        }

        private readonly Word Copied(int start, int length)
        {
            _folded.AsSpan(start, length).CopyTo(_buffer.AsSpan(start));
            return new Word(start, length);
        }

        public void Dispose()
        {
            if (_buffer is { } buffer) System.Buffers.ArrayPool<char>.Shared.Return(buffer);
            _buffer = null;
        }
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
