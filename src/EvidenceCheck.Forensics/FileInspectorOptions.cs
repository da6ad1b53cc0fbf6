namespace EvidenceCheck.Forensics;

/// <summary>
/// Limits and key store for reading evidence files. Plain object with documented defaults; the
/// service binds it from the "Forensics" configuration section, the command line from flags.
/// </summary>
public sealed class FileInspectorOptions
{
    /// <summary>Files larger than this are not parsed (unreadable, "too large"). Default 20 MiB.</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>
    /// Wall-clock time one file may take to parse. A file still being read then is reported as
    /// unreadable and abandoned, so a parser trapped by a hostile file cannot stall a report. Default 2 s.
    /// </summary>
    public TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Folder of DKIM public keys, one file per selector, named <c>SELECTOR._domainkey.DOMAIN.pub</c>
    /// (PEM or bare base64) or <c>SELECTOR._domainkey.DOMAIN.txt</c> (the DNS TXT record, <c>v=DKIM1; k=rsa; p=…</c>).
    /// Null: no keys, every signature is "unknown". There is no DNS look-up by design: the scorer must
    /// give the same answer tomorrow, and a key missing here means "unknown", never "forged".
    /// </summary>
    public string? DkimKeyFolder { get; set; }

    /// <summary>MIME nesting deeper than this is not descended into (bomb-like messages). Default 32.</summary>
    public int MaxMimeDepth { get; set; } = 32;

    public IEnumerable<string> Problems()
    {
        if (MaxFileBytes <= 0) yield return "MaxFileBytes must be positive.";
        if (TimeLimit <= TimeSpan.Zero) yield return "TimeLimit must be positive.";
        if (MaxMimeDepth < 1) yield return "MaxMimeDepth must be at least 1.";
        if (DkimKeyFolder is { } folder && !Directory.Exists(folder)) yield return $"DkimKeyFolder '{folder}' does not exist.";
    }

    /// <summary>Throws with every problem listed when the options are unusable; call at start.</summary>
    public FileInspectorOptions Validated()
    {
        var problems = Problems().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid forensics options: " + string.Join(" ", problems));
        return this;
    }
}
