using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Core.Tests.Signals;

/// <summary>
/// Names are folded by the build's own table, not string.Normalize: this build runs without ICU
/// (InvariantGlobalization), where Normalize returns its input unchanged.
/// </summary>
public class NameSimilarityTests
{
    [Theory]
    [InlineData("Zhōu Fēngsuǒ", "Zhou Fengsuo")]      // pinyin with and without tone marks
    [InlineData("Wáng Dān", "wang dan")]
    [InlineData("Ｌｉ Ｌｕ", "Li Lu")]                  // full-width letters
    [InlineData("Åse Ørsted", "Ase Ørsted")]
    [InlineData("Ǆemal", "Dzemal")]                     // one letter for two
    [InlineData("Jose\u0301", "José")]                  // the accent typed on its own, and the precomposed letter
    [InlineData("Smıth", "Smith")]                      // dotless i
    public void Fold_AccentsAndCompatibilityForms_AreTheSameName(string a, string b) =>
        Assert.Equal(1.0, NameSimilarity.Similarity(a, b));

    [Fact]
    public void Fold_KeepsWhatIsNotAnAccent()
    {
        Assert.Equal("zhoufengsuo", NameSimilarity.Fold("Zhōu Fēngsuǒ"));
        Assert.Equal("王丹", NameSimilarity.Fold("王丹"));
        Assert.True(NameSimilarity.Similarity("Jane Host", "Jane Hart") < 0.85);
    }
}
