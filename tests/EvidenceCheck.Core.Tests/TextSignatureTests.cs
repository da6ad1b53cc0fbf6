using EvidenceCheck.Core.Campaigns;

namespace EvidenceCheck.Core.Tests;

/// <summary>How report text is cut into words before near-duplicates are looked for.</summary>
public class TextSignatureTests
{
    [Fact]
    public void FullWidthLetters_AreTheSameWordsAsPlainOnes()
    {
        var plain = "the host of this meeting is spreading terrorist propaganda and recruiting people to join an extremist group";
        var fullWidth = "ｔｈｅ ｈｏｓｔ of this meeting is spreading terrorist propaganda and recruiting people to join an extremist group";

        Assert.Equal(TextSignature.Of(plain, 8), TextSignature.Of(fullWidth, 8));
    }

    [Fact]
    public void ChineseAndJapanese_AreOneWordPerCharacter_OtherScriptsByWord()
    {
        Assert.Equal(["zoom", "会", "议", "id", "12345", "被", "举", "报"], TextSignature.Words("Zoom会议ID 12345被举报", out var characters));
        Assert.Equal(5, characters);
        Assert.Equal(["主", "催", "者", "は", "テ", "ロ"], TextSignature.Words("主催者はテロ", out _));
        Assert.Equal(["встреча", "закрыта"], TextSignature.Words("Встреча — закрыта!", out var none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void ACharacterOutsideTheBasicPlane_IsOneWord_AndBrokenSurrogatesAreNone()
    {
        Assert.Equal(["𠀀", "中"], TextSignature.Words("𠀀中", out var characters));
        Assert.Equal(2, characters);
        Assert.Equal(["ab", "cd"], TextSignature.Words("ab\uD800cd", out _));
    }

    /// <summary>The words as the first stored signatures were made: each word's string, lower-cased on its own.</summary>
    private static List<string> WordsAsFirstWritten(string text)
    {
        text = text.AsSpan().IndexOfAnyInRange('\uFF01', '\uFF5E') < 0 ? text
            : string.Concat(text.Select(c => c is >= '\uFF01' and <= '\uFF5E' ? (char)(c - 0xFEE0) : c));
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length;)
        {
            var width = 1;
            var inWord = false;
            var character = false;
            if (i < text.Length && System.Text.Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out width) == System.Buffers.OperationStatus.Done)
            {
                inWord = System.Text.Rune.IsLetterOrDigit(rune);
                character = inWord && rune.Value is >= 0x3040 and <= 0x30FF or >= 0x31F0 and <= 0x31FF or >= 0x3400 and <= 0x4DBF
                    or >= 0x4E00 and <= 0x9FFF or >= 0xF900 and <= 0xFAFF or >= 0xFF66 and <= 0xFF9F or >= 0x20000 and <= 0x3FFFF;
            }
            if (start >= 0 && (!inWord || character)) { words.Add(text[start..i].ToLowerInvariant()); start = -1; }
            if (character) words.Add(text.Substring(i, width));
            else if (inWord && start < 0) start = i;
            i += width;
        }
        return words;
    }

    /// <summary>A signature from word strings, as first written: stored signatures must keep matching new ones.</summary>
    private static uint[] SignatureOf(List<string> words)
    {
        var signature = new uint[TextSignature.Hashes];
        Array.Fill(signature, uint.MaxValue);
        var seeds = Enumerable.Range(0, TextSignature.Hashes).Select(i => StableHash.Mix(0x9E3779B97F4A7C15UL * (ulong)(i + 1))).ToArray();
        for (var i = 0; i + 2 < words.Count; i++)
        {
            var shingle = StableHash.Add(StableHash.Add(StableHash.Add(14695981039346656037UL, words[i]), words[i + 1]), words[i + 2]);
            for (var h = 0; h < TextSignature.Hashes; h++)
                signature[h] = Math.Min(signature[h], (uint)(StableHash.Mix(shingle ^ seeds[h]) >> 32));
        }
        return signature;
    }

    [Theory]
    [InlineData("The HOST of this meeting is spreading terrorist propaganda and recruiting people")]
    [InlineData("İSTANBUL'da toplantı İptal edildi, KAPATILDI çünkü ŞİKAYET")]
    [InlineData("ΟΔΟΣ ΣΟΦΙΑΣ ΣΑΣ ΕΝΟΧΛΕΙ straße STRASSE ǅemal ǄEMAL")]
    [InlineData("𐐀𐐁𐐂 Deseret 𐐨 words ᏣᎳᎩ ꮳꮃꭹ Cherokee and more words here")]
    [InlineData("主催者はテロ组织的成员ＡＢＣ　ｈｏｓｔ𠀀中 mixed 会议ID 12345被举报 ok")]
    [InlineData("ab\uD800cd ef\uDC00gh broken halves between words and more")]
    [InlineData("   ")]
    public void WordsAndSignatures_AreThoseStoresWereWrittenWith(string text)
    {
        var reference = WordsAsFirstWritten(text);
        Assert.Equal(reference, TextSignature.Words(text, out _));
        if (reference.Count >= 3) Assert.Equal(SignatureOf(reference), TextSignature.Of(text, 3));
    }

    [Fact]
    public void VectorAndScalarHashing_KeepTheSameMinima()
    {
        var random = new Random(7);
        var scalar = new ulong[TextSignature.Hashes];
        var vectors = new ulong[TextSignature.Hashes];
        Array.Fill(scalar, uint.MaxValue);
        Array.Fill(vectors, uint.MaxValue);
        for (var i = 0; i < 2_000; i++)
        {
            var shingle = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 63);
            TextSignature.FoldScalar(shingle, scalar);
            TextSignature.FoldVectors(shingle, vectors);
            Assert.Equal(scalar, vectors);
        }
        // The minima went down from their start: the comparison above compared hashes, not two untouched arrays.
        Assert.All(scalar, m => Assert.True(m < uint.MaxValue / 100));
    }
}
