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
}
