using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EvidenceCheck.Learning.EvidenceFiles;

/// <summary>One hop of the Received chain, newest first as in the message.</summary>
public sealed record ReceivedHop(string By, string From, DateTimeOffset At);

/// <summary>The headers of a simulated RFC 5322 message; a forgery is made by letting them disagree.</summary>
public sealed record EmailMessage
{
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required DateTimeOffset Date { get; init; }
    public required string MessageIdDomain { get; init; }
    /// <summary>DKIM d= (null: not signed).</summary>
    public string? DkimDomain { get; init; }
    public string DkimSelector { get; init; } = "s1";
    /// <summary>Oldest hop last, as mail servers prepend.</summary>
    public required IReadOnlyList<ReceivedHop> Received { get; init; }
    public required string Body { get; init; }
}

/// <summary>Writes an RFC 5322 message (CRLF lines, folded DKIM-Signature) as real bytes.</summary>
public static class EmailFile
{
    public static byte[] Write(EmailMessage m, Random random)
    {
        var sb = new StringBuilder();
        foreach (var hop in m.Received)
            sb.Append($"Received: from {hop.From} by {hop.By} with ESMTPS id {Token(random, 10)};\r\n\t{Rfc5322(hop.At)}\r\n");
        if (m.DkimDomain is { } d)
        {
            var bodyHash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Body)));
            var signature = Convert.ToBase64String(RandomBytes(random, 96));
            sb.Append($"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={d}; s={m.DkimSelector};\r\n")
              .Append($"\tt={m.Date.ToUnixTimeSeconds()}; h=from:to:subject:date:message-id;\r\n")
              .Append($"\tbh={bodyHash};\r\n\tb={signature}\r\n");
        }
        sb.Append($"From: {m.From}\r\n");
        sb.Append($"To: {m.To}\r\n");
        sb.Append($"Subject: {m.Subject}\r\n");
        sb.Append($"Date: {Rfc5322(m.Date)}\r\n");
        sb.Append($"Message-ID: <{Token(random, 16)}@{m.MessageIdDomain}>\r\n");
        sb.Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        sb.Append(m.Body.Replace("\n", "\r\n")).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    public static string Rfc5322(DateTimeOffset t)
    {
        var offset = t.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return t.ToString("ddd, d MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + sign + offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture);
    }

    private static string Token(Random random, int length)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        return string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)]; });
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var b = new byte[length];
        random.NextBytes(b);
        return b;
    }
}
