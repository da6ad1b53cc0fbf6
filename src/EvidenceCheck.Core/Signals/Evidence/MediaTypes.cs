namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>Media type spellings and file-name extensions, folded so a declared type can be compared with the bytes.</summary>
public static class MediaTypes
{
    public const string Email = "message/rfc822";

    /// <summary>Media types a caller might declare for the same thing, folded to one spelling.</summary>
    public static string? Normalise(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType)) return null;
        var t = mediaType.Split(';')[0].Trim().ToLowerInvariant();
        return t switch
        {
            "image/jpg" or "image/pjpeg" => "image/jpeg",
            "image/x-png" => "image/png",
            "image/heic-sequence" => "image/heic",
            "image/heif-sequence" => "image/heif",
            "message/eml" or "application/eml" => Email,
            _ => t,
        };
    }

    /// <summary>The media type a file name's extension stands for, or null when the extension says nothing.</summary>
    public static string? FromFileName(string? fileName)
    {
        var ext = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        return ext switch
        {
            ".jpg" or ".jpeg" or ".jpe" or ".jfif" => "image/jpeg",
            ".png" => "image/png",
            ".gif" => "image/gif",
            ".webp" => "image/webp",
            ".tif" or ".tiff" => "image/tiff",
            ".bmp" => "image/bmp",
            ".heic" => "image/heic",
            ".heif" => "image/heif",
            ".avif" => "image/avif",
            ".eml" => Email,
            ".pdf" => "application/pdf",
            ".zip" => "application/zip",
            ".mp4" or ".m4v" => "video/mp4",
            ".mov" => "video/quicktime",
            ".webm" => "video/webm",
            ".mp3" => "audio/mpeg",
            ".wav" => "audio/wav",
            ".ogg" => "audio/ogg",
            ".txt" => "text/plain",
            _ => null,
        };
    }
}
