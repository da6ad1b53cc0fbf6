namespace EvidenceCheck.Forensics.Tests;

/// <summary>The real DKIM-signed Gmail message and its two tampered copies (shared/data/email-dkim).</summary>
public class EmailDkimTests
{
    [Fact]
    public void Gmail_WithItsKey_Verifies()
    {
        var f = Some.Facts("gmail.msg");
        Assert.Equal("pass", f.DkimResult);
        Assert.Equal(("gmail.com", "20120113"), (f.DkimDomain, f.DkimSelector));
    }

    [Theory]
    [InlineData("gmail-fail-body.msg")]
    [InlineData("gmail-fail-headers.msg")]
    public void GmailTampered_WithItsKey_Fails(string name)
    {
        var f = Some.Facts(name);
        Assert.Equal("fail", f.DkimResult);
        Assert.Contains("changed after gmail.com signed it", f.DkimDetail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gmail.msg")]
    [InlineData("gmail-fail-body.msg")]
    public void Gmail_WithoutKey_IsUnknownNeverForged(string name)
    {
        var f = Some.Facts(name, keys: false);
        Assert.Equal("unknown", f.DkimResult);
    }

    [Fact]
    public void AuthenticationResultsInsideMessage_IsRecordedButNotBelieved()
    {
        // forged.eml's own header claims dkim=pass; there is no key for its signer, so the result stays unknown.
        var f = Some.Facts("forged.eml");
        Assert.Contains("dkim=pass", f.ClaimedAuthenticationResults, StringComparison.Ordinal);
        Assert.Equal("unknown", f.DkimResult);
        Assert.Contains(f.Notes, n => n.Contains("not trusted", StringComparison.Ordinal));
    }

    [Fact]
    public void Gmail_HeadersAreNormalised()
    {
        var f = Some.Facts("gmail.msg");
        Assert.Equal(new DateTimeOffset(2015, 6, 10, 22, 5, 37, TimeSpan.FromHours(-4)), f.EmailDate);
        Assert.Equal("jeff.stedfast@gmail.com", f.EmailFrom);
        Assert.Equal("gmail.com", f.EmailFromDomain);
        Assert.Equal("mail.gmail.com", f.MessageIdDomain);
        Assert.Equal(4, f.ReceivedTimes!.Count);
    }

    [Fact]
    public void ForgedEmail_ReceivedChainRunsFromFirstHop()
    {
        var f = Some.Facts("forged.eml");
        Assert.Equal(new DateTimeOffset(2020, 6, 3, 15, 30, 52, TimeSpan.Zero), f.ReceivedTimes![0]);
        Assert.Equal(new DateTimeOffset(2020, 6, 3, 15, 31, 7, TimeSpan.Zero), f.ReceivedTimes![1]);
        Assert.Equal("mailer-relay.net", f.DkimDomain);
    }

    [Theory]
    [InlineData("gmail.com", "../dkim-keys/20120113")]
    [InlineData("../../etc", "passwd")]
    [InlineData("gmail.com", "20120113/../20120113")]
    public void KeyStore_HostileSelectorOrDomain_FindsNoKey(string domain, string selector)
    {
        Assert.False(new DkimKeyStore(Some.KeyFolder).HasKey(domain, selector));
    }

    [Fact]
    public void KeyStore_PemFile_IsFound()
    {
        Assert.True(new DkimKeyStore(Some.KeyFolder).HasKey("gmail.com", "20120113"));
    }
}

public class EmailCharsetTests
{
    [Theory]
    [InlineData("GB2312", "wfnLxLzNxO674dLpvtmxqA==", "六四纪念会议举报")]
    [InlineData("Big5", "pLulfKz2qcC3fMSzwXyz+A==", "六四紀念會議舉報")]
    [InlineData("ISO-2022-JP", "GyRCMnE1RCRORExKcxsoQg==", "会議の通報")]
    public void SubjectInALegacyChineseOrJapaneseCharset_IsReadable(string charset, string base64, string expected)
    {
        // Mail from Chinese and Japanese clients still comes in these charsets; .NET has them only with the code-page provider.
        var eml = $"""
            From: Someone <someone@example.cn>
            To: trust@example.com
            Date: Wed, 03 Jun 2020 15:30:00 +0000
            Message-ID: <1@example.cn>
            Subject: =?{charset}?B?{base64}?=
            Content-Type: text/plain; charset=us-ascii

            report
            """.ReplaceLineEndings("\r\n");
        var path = Path.Combine(Path.GetTempPath(), $"ec-charset-{Guid.NewGuid():N}.eml");
        File.WriteAllText(path, eml);
        try
        {
            var f = Some.Inspector(keys: false).InspectFile(path);
            Assert.Equal(expected, f.EmailSubject);
        }
        finally { File.Delete(path); }
    }
}
