namespace EvidenceCheck.Core.Campaigns;

/// <summary>
/// FNV-1a, 64 bits: the same input gives the same number on every machine and every run, so keys,
/// MinHash shingles and campaign ids are stable between the service's store and a file scored by the CLI.
/// </summary>
public static class StableHash
{
    private const ulong Offset = 14695981039346656037, Prime = 1099511628211;

    public static ulong Of(string text) => Add(Offset, text);

    public static ulong Of(string a, string b) => Add(Add(Add(Offset, a), "\u0000"), b);

    public static ulong Add(ulong hash, string text) => Add(hash, text.AsSpan());

    /// <summary>The same as hashing the characters as a string: <c>Add(Add(h, a), b)</c> is <c>Add(h, a + b)</c>.</summary>
    public static ulong Add(ulong hash, ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            hash = (hash ^ (byte)c) * Prime;
            hash = (hash ^ (byte)(c >> 8)) * Prime;
        }
        return hash;
    }

    public static ulong Add(ulong hash, ulong value)
    {
        for (var i = 0; i < 8; i++, value >>= 8) hash = (hash ^ (byte)value) * Prime;
        return hash;
    }

    /// <summary>SplitMix64 finaliser: a cheap, well-mixed permutation of 64-bit values.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    /// <summary>As a signed 64-bit integer, the shape SQLite keys take.</summary>
    public static long AsKey(ulong hash) => unchecked((long)hash);
}
