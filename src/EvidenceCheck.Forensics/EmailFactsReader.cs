using EvidenceCheck.Core.Evidence;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;

namespace EvidenceCheck.Forensics;

/// <summary>
/// Email facts through MimeKit: Date, From, Message-ID domain, the Received chain's timestamps,
/// each DKIM-Signature's d=/s=/t=, and DKIM verification against the local key store. The
/// message's own Authentication-Results header is recorded but never believed: anyone who
/// forwards or edits a message can write one.
/// </summary>
internal sealed class EmailFactsReader(DkimKeyStore keys, int maxMimeDepth)
{
    private readonly ParserOptions _parser = new() { MaxMimeDepth = maxMimeDepth };

    // Mail from Chinese, Japanese and Korean clients still comes in GB2312, Big5, Shift_JIS, ISO-2022-JP, EUC-KR…: .NET
    // decodes those only with the code-page provider. Without it MimeKit falls back to Latin-1, and a reviewer sees mojibake.
    static EmailFactsReader() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public void Read(byte[] bytes, EvidenceFacts facts)
    {
        var message = MimeMessage.Load(_parser, new MemoryStream(bytes, writable: false));
        var headers = message.Headers;

        if (headers.Contains(HeaderId.Date)) facts.EmailDate = DateUtils.TryParse(headers[HeaderId.Date], out var date) ? date : null;
        if (message.From.Mailboxes.FirstOrDefault() is { } from)
        {
            facts.EmailFrom = from.Address;
            facts.EmailFromDomain = Lower(from.Domain);
        }
        facts.EmailSubject = message.Subject;
        facts.MessageIdDomain = CallerMetadataInspector.DomainOf(message.MessageId);

        // Received headers are prepended by each hop: reversed, they run from first hop to last.
        var received = new List<DateTimeOffset>();
        foreach (var h in headers.Where(h => h.Id == HeaderId.Received).Reverse())
        {
            var semicolon = h.Value.LastIndexOf(';');
            if (semicolon >= 0 && DateUtils.TryParse(h.Value[(semicolon + 1)..].Trim(), out var at)) received.Add(at);
            else facts.Notes.Add("A Received header has no readable timestamp: " + Shorten(h.Value));
        }
        facts.ReceivedTimes = received.Count > 0 ? received : null;

        if (headers.FirstOrDefault(h => h.Id == HeaderId.AuthenticationResults) is { } ar)
        {
            facts.ClaimedAuthenticationResults = Shorten(ar.Value.Trim(), 300);
            facts.Notes.Add("The message carries its own Authentication-Results header; it was written by whoever handled the message and is not trusted. The DKIM result here is EvidenceCheck's own.");
        }

        Verify(message, facts);
    }

    private void Verify(MimeMessage message, EvidenceFacts facts)
    {
        var signatures = message.Headers.Where(h => h.Id == HeaderId.DkimSignature).ToArray();
        if (signatures.Length == 0) { facts.DkimResult = "none"; facts.DkimDetail = "The message has no DKIM-Signature."; return; }

        var verifier = new DkimVerifier(keys);
        // rsa-sha1 is deprecated but is still integrity: a pass or fail with it says something true.
        verifier.Enable(DkimSignatureAlgorithm.RsaSha1);
        var outcomes = new List<(string Result, string Detail, Dictionary<string, string> Tags)>();
        foreach (var signature in signatures)
        {
            var tags = Tags(signature.Value);
            var d = tags.GetValueOrDefault("d");
            var s = tags.GetValueOrDefault("s");
            var name = $"d={d ?? "?"} s={s ?? "?"}";
            if (d is null || s is null) { outcomes.Add(("fail", $"The signature ({name}) lacks its domain or selector.", tags)); continue; }
            if (!keys.HasKey(d, s)) { outcomes.Add(("unknown", $"No public key on file for {s}._domainkey.{d}; the signature could not be checked.", tags)); continue; }
            try
            {
                var ok = verifier.Verify(message, signature);
                outcomes.Add(ok
                    ? ("pass", $"The signature ({name}) verifies: headers and body are as {d} signed them.", tags)
                    : ("fail", $"The signature ({name}) does not verify: the message was changed after {d} signed it.", tags));
            }
            catch (Exception e) when (e is FormatException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                outcomes.Add(("fail", $"The signature ({name}) is malformed: {e.Message}", tags));
            }
            if (tags.ContainsKey("l"))
                facts.Notes.Add($"The signature ({name}) covers only the first {tags["l"]} bytes of the body; anything after them could have been appended.");
        }

        // One verified signature is proof enough; otherwise a failure outweighs a missing key.
        var chosen = outcomes.FirstOrDefault(o => o.Result == "pass");
        if (chosen.Result is null) chosen = outcomes.FirstOrDefault(o => o.Result == "fail");
        if (chosen.Result is null) chosen = outcomes[0];
        facts.DkimResult = chosen.Result;
        facts.DkimDetail = chosen.Detail;
        facts.DkimDomain = Lower(chosen.Tags.GetValueOrDefault("d"));
        facts.DkimSelector = chosen.Tags.GetValueOrDefault("s");
        if (chosen.Tags.GetValueOrDefault("t") is { } t && long.TryParse(t, out var unix) && unix is > 0 and < 253402300799)
            facts.DkimTimestamp = DateTimeOffset.FromUnixTimeSeconds(unix);
    }

    /// <summary>The tag=value list of a DKIM-Signature (RFC 6376 §3.2), whitespace removed.</summary>
    private static Dictionary<string, string> Tags(string value)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var key = part[..eq].Trim();
            var v = string.Concat(part[(eq + 1)..].Where(c => !char.IsWhiteSpace(c)));
            tags.TryAdd(key, v);
        }
        return tags;
    }

    private static string? Lower(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim().ToLowerInvariant();

    private static string Shorten(string s, int max = 120)
    {
        s = string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return s.Length <= max ? s : s[..max] + "…";
    }
}
