using System.Globalization;
using System.Security.Cryptography;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Core.Signals.Evidence;

namespace EvidenceCheck.Forensics;

/// <summary>
/// Reads evidence files into facts: the type from the bytes, SHA-256, and image or email metadata
/// through real parsers. When a report carries the file, its facts come from the file and caller
/// metadata that disagrees is set aside (and said so in Notes); without a file, the caller's
/// metadata is used as it is. Hostile files are expected: too large, empty, truncated, wrong
/// magic, nested or slow to parse give an unreadable fact with the reason. Never throws. Thread-safe.
/// </summary>
public sealed class FileEvidenceInspector : IEvidenceInspector
{
    private readonly FileInspectorOptions _options;
    private readonly EmailFactsReader _email;
    private readonly CallerMetadataInspector _callerMetadata = new();

    public FileEvidenceInspector(FileInspectorOptions? options = null)
    {
        _options = (options ?? new FileInspectorOptions()).Validated();
        Keys = new DkimKeyStore(_options.DkimKeyFolder);
        _email = new EmailFactsReader(Keys, _options.MaxMimeDepth);
    }

    public DkimKeyStore Keys { get; }

    public EvidenceFacts Inspect(Core.Contract.Evidence evidence, int index)
    {
        if (evidence.ContentBase64 is not { } base64) return _callerMetadata.Inspect(evidence, index);

        var facts = Declared(evidence, index);
        // Checked before decoding so an oversized upload costs nothing: base64 is 4 characters per 3 bytes.
        if ((long)base64.Length / 4 * 3 > _options.MaxFileBytes + 3)
            return Unreadable(facts, $"larger than the {Describe(_options.MaxFileBytes)} limit");
        byte[] bytes;
        try { bytes = Convert.FromBase64String(base64); }
        catch (FormatException) { return Unreadable(facts, "contentBase64 is not valid base64"); }

        InspectInto(facts, bytes);
        if (facts.Readable && evidence.Metadata is { Count: > 0 } metadata) CompareCallerMetadata(facts, metadata);
        return facts;
    }

    /// <summary>Facts about a file on disk (the <c>inspect</c> command); the file name is taken as declared.</summary>
    public EvidenceFacts InspectFile(string path, int index = 0)
    {
        var facts = new EvidenceFacts { Index = index, EvidenceId = Path.GetFileName(path), DeclaredFileName = Path.GetFileName(path), Source = FactSource.File };
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return Unreadable(facts, "no such file");
            if (info.Length > _options.MaxFileBytes)
            {
                facts.SizeBytes = info.Length;
                return Unreadable(facts, $"larger than the {Describe(_options.MaxFileBytes)} limit ({Describe(info.Length)})");
            }
            // Read at most one byte past the limit: a device or a file still growing has no honest length.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
            var buffer = new byte[Math.Min(_options.MaxFileBytes + 1, Math.Max(info.Length, 1 << 16))];
            var read = 0;
            int n;
            while ((n = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
                if (read == buffer.Length && read <= _options.MaxFileBytes) Array.Resize(ref buffer, (int)Math.Min(_options.MaxFileBytes + 1, buffer.Length * 2L));
                else if (read > _options.MaxFileBytes) return Unreadable(facts, $"larger than the {Describe(_options.MaxFileBytes)} limit");
            }
            return InspectInto(facts, buffer[..read]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Unreadable(facts, "cannot read the file: " + e.Message);
        }
    }

    /// <summary>Facts about bytes already in memory, with what the caller declared about them.</summary>
    public EvidenceFacts InspectBytes(byte[] bytes, string? fileName = null, string? declaredMediaType = null, int index = 0) =>
        InspectInto(new EvidenceFacts { Index = index, EvidenceId = fileName, DeclaredFileName = fileName, DeclaredMediaType = declaredMediaType, Source = FactSource.File }, bytes);

    private EvidenceFacts InspectInto(EvidenceFacts facts, byte[] bytes)
    {
        facts.Source = FactSource.File;
        facts.SizeBytes = bytes.LongLength;
        if (bytes.LongLength > _options.MaxFileBytes) return Unreadable(facts, $"larger than the {Describe(_options.MaxFileBytes)} limit");
        if (bytes.Length == 0) return Unreadable(facts, "empty file (0 bytes)");
        facts.ComputedSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        facts.DetectedMediaType = MediaTypeSniffer.Detect(bytes);
        if (facts.DetectedMediaType is not { } type) return Unreadable(facts, "unknown file type: the first bytes match no known format");

        Action<EvidenceFacts>? read = type switch
        {
            MediaTypes.Email => f => _email.Read(bytes, f),
            "image/jpeg" or "image/png" or "image/webp" or "image/gif" or "image/tiff" or "image/bmp"
                or "image/heic" or "image/heif" or "image/avif" => f => ImageFactsReader.Read(bytes, type, f),
            _ => null,
        };
        if (read is null)
        {
            facts.Notes.Add($"{type} is recognised but its metadata is not read; only type, size and hash are checked.");
            return facts;
        }
        return ReadWithinLimit(facts, read, _options.TimeLimit);
    }

    /// <summary>
    /// Runs a parser on a dedicated worker (<see cref="ParserWorkers"/>) and waits at most the time
    /// limit. A parser still running then is abandoned and the file reported unreadable, so the rest
    /// of the report is still scored; the size limit bounds what the abandoned parser can still cost.
    /// </summary>
    internal static EvidenceFacts ReadWithinLimit(EvidenceFacts facts, Action<EvidenceFacts> read, TimeSpan timeLimit)
    {
        // The parser writes into a scratch copy so an abandoned one cannot change facts already returned.
        var scratch = new EvidenceFacts();
        // Waiting behind other files is load, not a hostile file: allowed far longer than parsing itself.
        var outcome = ParserWorkers.Shared.Run(() => read(scratch), timeLimit, 30 * timeLimit, out var error);
        if (outcome == ParserWorkers.Outcome.TimedOut)
            return Unreadable(facts, $"parsing took longer than {timeLimit.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s and was abandoned");
        if (outcome == ParserWorkers.Outcome.NotStarted)
            return Unreadable(facts, "not parsed: every parser was busy for too long");
        if (error is not null)
            return Unreadable(facts, $"{FormatName(facts.DetectedMediaType)} could not be parsed: {error.Message}");
        CopyParsed(scratch, facts);
        if (facts.DetectedMediaType!.StartsWith("image/", StringComparison.Ordinal) && facts.PixelWidth is null)
            return Unreadable(facts, $"{FormatName(facts.DetectedMediaType)} has no readable image header (truncated or damaged)");
        return facts;
    }

    private static void CopyParsed(EvidenceFacts from, EvidenceFacts to)
    {
        to.CapturedLocal = from.CapturedLocal; to.CapturedOffset = from.CapturedOffset;
        to.DigitizedLocal = from.DigitizedLocal; to.DigitizedOffset = from.DigitizedOffset;
        to.ModifiedLocal = from.ModifiedLocal; to.ModifiedOffset = from.ModifiedOffset; to.EncodedAt = from.EncodedAt;
        to.Software = from.Software; to.CreatorTool = from.CreatorTool; to.History = from.History;
        to.Make = from.Make; to.Model = from.Model;
        to.PixelWidth = from.PixelWidth; to.PixelHeight = from.PixelHeight;
        to.ExifWidth = from.ExifWidth; to.ExifHeight = from.ExifHeight;
        to.HasThumbnail = from.HasThumbnail; to.ThumbnailBytes = from.ThumbnailBytes;
        to.ThumbnailWidth = from.ThumbnailWidth; to.ThumbnailHeight = from.ThumbnailHeight;
        to.GpsLatitude = from.GpsLatitude; to.GpsLongitude = from.GpsLongitude; to.GpsTime = from.GpsTime;
        to.ScreenshotMarker = from.ScreenshotMarker; to.MetadataStripped = from.MetadataStripped;
        to.EmailDate = from.EmailDate; to.EmailFrom = from.EmailFrom; to.EmailFromDomain = from.EmailFromDomain;
        to.EmailSubject = from.EmailSubject; to.MessageIdDomain = from.MessageIdDomain; to.ReceivedTimes = from.ReceivedTimes;
        to.DkimDomain = from.DkimDomain; to.DkimSelector = from.DkimSelector; to.DkimTimestamp = from.DkimTimestamp;
        to.DkimResult = from.DkimResult; to.DkimDetail = from.DkimDetail; to.ClaimedAuthenticationResults = from.ClaimedAuthenticationResults;
        to.Notes.AddRange(from.Notes);
    }

    /// <summary>
    /// The file is the authority once it is here: caller metadata that says otherwise is ignored,
    /// and a reviewer is told what it said (a mismatch is itself worth a look).
    /// </summary>
    private static void CompareCallerMetadata(EvidenceFacts facts, Dictionary<string, object?> metadata)
    {
        var said = new EvidenceFacts();
        CallerMetadataInspector.ApplyMetadata(said, metadata);
        Note("capture time", Time(said.CapturedLocal), Time(facts.CapturedLocal));
        Note("capture offset", Offset(said.CapturedOffset), Offset(facts.CapturedOffset));
        Note("software", said.Software, facts.Software);
        Note("creator tool", said.CreatorTool, facts.CreatorTool);
        Note("make", said.Make, facts.Make);
        Note("model", said.Model, facts.Model);
        Note("width", Number(said.PixelWidth), Number(facts.PixelWidth));
        Note("height", Number(said.PixelHeight), Number(facts.PixelHeight));
        Note("email Date", said.EmailDate?.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture), facts.EmailDate?.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
        Note("From", said.EmailFrom, facts.EmailFrom);
        Note("DKIM domain", said.DkimDomain, facts.DkimDomain);
        facts.Notes.AddRange(said.Notes);

        void Note(string what, string? caller, string? file)
        {
            if (caller is null || string.Equals(caller.Trim(), file, StringComparison.OrdinalIgnoreCase)) return;
            facts.Notes.Add(file is not null
                ? $"Caller metadata said {what} \"{caller}\"; the file says \"{file}\". The file's value is used."
                : $"Caller metadata said {what} \"{caller}\"; the file records none. Not used.");
        }
        static string? Time(DateTime? t) => t?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        static string? Offset(TimeSpan? o) => o is { } v ? (v < TimeSpan.Zero ? "-" : "+") + v.ToString(@"hh\:mm", CultureInfo.InvariantCulture) : null;
        static string? Number(int? n) => n?.ToString(CultureInfo.InvariantCulture);
    }

    private static EvidenceFacts Declared(Core.Contract.Evidence evidence, int index) => new()
    {
        Index = index, EvidenceId = evidence.EvidenceId, Kind = evidence.Kind, Source = FactSource.File,
        DeclaredMediaType = evidence.MediaType, DeclaredFileName = evidence.FileName,
        DeclaredSha256 = evidence.Sha256?.Trim().ToLowerInvariant(), DeclaredSizeBytes = evidence.SizeBytes,
        ClaimedCapturedAt = evidence.ClaimedCapturedAt,
    };

    private static EvidenceFacts Unreadable(EvidenceFacts facts, string reason)
    {
        facts.Readable = false;
        facts.UnreadableReason = reason;
        return facts;
    }

    private static string FormatName(string? mediaType) => mediaType switch
    {
        null => "The file",
        MediaTypes.Email => "The email",
        _ => "The " + mediaType.Split('/')[^1].ToUpperInvariant() + " file",
    };

    private static string Describe(long bytes) =>
        bytes >= 1 << 20 ? $"{(bytes / 1048576.0).ToString("0.#", CultureInfo.InvariantCulture)} MiB" : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";
}
