namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// MinHash of a report's word 3-shingles, and its locality-sensitive bands: texts whose shingle
/// sets are alike share a band with high probability, so near-duplicates are found by looking up
/// a few band keys, never by comparing a report with every other one. Coordinated reports reuse a
/// script with small edits; honest witnesses describe the same event in their own words.
/// </summary>
public static class TextSignature
{
    /// <summary>32 hash functions in 8 bands of 4 rows: pairs at similarity 0.8 share a band 98% of the time, at 0.3 under 7%.</summary>
    public const int Hashes = 32, Bands = 8, Rows = Hashes / Bands;

    private static readonly ulong[] Seeds = Enumerable.Range(0, Hashes).Select(i => StableHash.Mix(0x9E3779B97F4A7C15UL * (ulong)(i + 1))).ToArray();

    /// <summary>The signature of a text, or null when it has fewer than <paramref name="minWords"/> words.</summary>
    public static uint[]? Of(string? text, int minWords)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var words = Words(text);
        if (words.Count < minWords) return null;
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

    /// <summary>Lower-case words of letters and digits (any script); punctuation and spacing tricks do not hide a copy.</summary>
    internal static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }

    public static string Encode(uint[] signature) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()));

    public static uint[] Decode(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        if (bytes.Length != Hashes * 4) throw new FormatException("not a text signature");
        return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray();
    }
}
