using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace EvidenceCheck.Core.Signals;

/// <summary>
/// How alike two display names or mailbox names are, after folding what impersonators vary:
/// case, accents, spacing and punctuation, and look-alike characters (0/o, 1/l, rn/m, Cyrillic а/a).
/// </summary>
public static partial class NameSimilarity
{
    /// <summary>1 for the same name once folded, falling towards 0 with edit distance.</summary>
    public static double Similarity(string? a, string? b)
    {
        if (string.IsNullOrWhiteSpace(a) || string.IsNullOrWhiteSpace(b)) return 0;
        return FoldedSimilarity(Fold(a), Fold(b));
    }

    /// <summary><see cref="Similarity"/> of names already passed through <see cref="Fold"/>.</summary>
    public static double FoldedSimilarity(string x, string y)
    {
        if (x.Length == 0 || y.Length == 0) return 0;
        if (x == y) return 1;
        var distance = Levenshtein(x, y);
        return 1.0 - (double)distance / Math.Max(x.Length, y.Length);
    }

    /// <summary>The part of an email address before the @ (and before any +tag).</summary>
    public static string? Mailbox(string? email)
    {
        if (email is null) return null;
        var at = email.IndexOf('@');
        var local = at < 0 ? email : email[..at];
        var plus = local.IndexOf('+');
        return plus < 0 ? local : local[..plus];
    }

    /// <summary>
    /// The name as compared: accents and compatibility forms folded (é → e, ｊ → j, ǅ → dz), only letters and digits,
    /// look-alikes as what they imitate, lower case.
    /// </summary>
    public static string Fold(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var ch in s)
        {
            if (!Ascii.IsValid(ch) && Folds.TryGetValue(ch, out var plain))
                foreach (var p in plain) Append(sb, p);
            else Append(sb, ch);
        }
        return sb.ToString().Replace("rn", "m", StringComparison.Ordinal).Replace("vv", "w", StringComparison.Ordinal);
    }

    private static void Append(StringBuilder sb, char ch)
    {
        // Combining accents typed on their own are dropped like the ones folded out of letters.
        if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark || !char.IsLetterOrDigit(ch)) return;
        sb.Append(char.ToLowerInvariant(Confusable(ch)));
    }

    /// <summary>Each letter or digit with a compatibility decomposition, and what it folds to (<see cref="Decompositions"/>).</summary>
    private static readonly FrozenDictionary<char, string> Folds =
        Decompositions.Split('|', StringSplitOptions.RemoveEmptyEntries).ToFrozenDictionary(e => e[0], e => e[1..]);

    private static char Confusable(char c) => c switch
    {
        '0' => 'o', '1' or 'I' or '|' => 'l', '3' => 'e', '5' => 's', '@' => 'a', 'ı' => 'i',
        // Cyrillic and Greek letters that render like Latin ones.
        'а' => 'a', 'е' => 'e', 'о' => 'o', 'р' => 'p', 'с' => 'c', 'у' => 'y', 'х' => 'x', 'і' => 'i',
        'А' => 'a', 'Е' => 'e', 'О' => 'o', 'Р' => 'p', 'С' => 'c', 'Х' => 'x', 'Ι' => 'i', 'Ο' => 'o', 'ο' => 'o',
        _ => c,
    };

    private static int Levenshtein(string a, string b)
    {
        Span<int> previous = stackalloc int[b.Length + 1];
        Span<int> current = stackalloc int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            current.CopyTo(previous);
        }
        return previous[b.Length];
    }
}
