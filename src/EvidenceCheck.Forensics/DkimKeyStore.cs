using System.Collections.Concurrent;
using System.Text;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;

namespace EvidenceCheck.Forensics;

/// <summary>
/// DKIM public keys from a local folder instead of DNS (see <see cref="FileInspectorOptions.DkimKeyFolder"/>).
/// Selector and domain come from the message under test, so they are checked to be plain DNS labels
/// before they become part of a path: a hostile <c>s=../../x</c> must not read files outside the folder.
/// </summary>
public sealed class DkimKeyStore : DkimPublicKeyLocatorBase
{
    private readonly string? _folder;
    private readonly ConcurrentDictionary<string, string?> _records = new(StringComparer.OrdinalIgnoreCase);

    public DkimKeyStore(string? folder) => _folder = folder is null ? null : Path.GetFullPath(folder);

    /// <summary>True when a key for this selector and domain is on file; without one, verification is "unknown".</summary>
    public bool HasKey(string domain, string selector) => Record(domain, selector) is not null;

    public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Record(domain, selector) is { } txt ? GetPublicKey(txt) : throw new KeyNotFoundException($"No DKIM key on file for {selector}._domainkey.{domain}.");

    public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
        Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));

    /// <summary>The key as a DNS TXT record (<c>v=DKIM1; k=rsa; p=…</c>), whichever form it is stored in.</summary>
    private string? Record(string domain, string selector)
    {
        if (_folder is null || !IsDnsName(domain) || !IsDnsName(selector)) return null;
        return _records.GetOrAdd($"{selector}._domainkey.{domain}", name =>
        {
            var txt = Path.Combine(_folder, name + ".txt");
            if (File.Exists(txt)) return File.ReadAllText(txt).Trim();
            var pub = Path.Combine(_folder, name + ".pub");
            if (!File.Exists(pub)) return null;
            // PEM or bare base64 of the SubjectPublicKeyInfo: exactly what a DNS record's p= holds.
            var body = new StringBuilder();
            foreach (var line in File.ReadLines(pub))
                if (!line.StartsWith("-----", StringComparison.Ordinal)) body.Append(line.Trim());
            return "v=DKIM1; k=rsa; p=" + body;
        });
    }

    private static bool IsDnsName(string s) =>
        s.Length is > 0 and <= 253 && !s.Contains("..") && s[0] != '.' && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_');
}
