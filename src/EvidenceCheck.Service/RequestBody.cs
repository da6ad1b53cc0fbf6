using System.Text;
using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Service;

/// <summary>Reads a request body, refusing it past a size limit without buffering more than the limit.</summary>
public static class RequestBody
{
    /// <summary>
    /// The body as text (UTF-8, a leading byte-order mark skipped), or why not: <c>TooLarge</c> when it is larger than
    /// <paramref name="limit"/> bytes, otherwise <c>Error</c> when it is not UTF-8.
    /// </summary>
    public static async Task<(string? Text, bool TooLarge, ContractError? Error)> ReadAsync(HttpRequest request, long limit, CancellationToken cancel)
    {
        using var body = await ReadBytesAsync(request, limit, cancel);
        if (body is null) return (null, true, null);
        var text = Utf8Text.Decode(body.Bytes.Span, out var error);
        return (text, false, error);
    }

    /// <summary>
    /// The body's bytes in a pooled buffer (dispose it to give the buffer back), or null when it is larger than
    /// <paramref name="limit"/> bytes.
    /// </summary>
    /// <remarks>
    /// Sized from Content-Length. A fresh 64 KiB read buffer per request (zeroed) used to be half of everything a single
    /// score allocated; a batch's body, and the string made of all of it, were large objects that only a full
    /// collection reclaims.
    /// </remarks>
    public static async Task<PooledBytes?> ReadBytesAsync(HttpRequest request, long limit, CancellationToken cancel)
    {
        if (request.ContentLength is { } declared && declared > limit) return null;
        // One byte more than declared, so the end of the body is seen without growing the buffer.
        var body = new PooledBytes(request.ContentLength is { } n ? (int)n + 1 : 16 * 1024);
        try
        {
            while (true)
            {
                if (body.Length == body.Capacity) body.Grow((int)Math.Min(2L * body.Capacity, limit + 1));
                var read = await request.Body.ReadAsync(body.Free, cancel);
                if (read == 0) return body;
                body.Length += read;
                if (body.Length > limit)
                {
                    body.Dispose();
                    return null;
                }
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            body.Dispose();
            return null;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }
}

/// <summary>
/// Bytes in a buffer from a pool: up to 1 MiB the shared pool, up to 8 MiB a pool of a few buffers of this class's own
/// (batches), beyond that a buffer of its own. Dispose once done with <see cref="Bytes"/>.
/// </summary>
public sealed class PooledBytes : IDisposable
{
    private const int SharedMax = 1024 * 1024, LargeMax = 8 * 1024 * 1024;
    private static readonly System.Buffers.ArrayPool<byte> Large = System.Buffers.ArrayPool<byte>.Create(LargeMax, maxArraysPerBucket: 4);
    private byte[]? _buffer;

    public PooledBytes(int capacity) => _buffer = Rent(capacity);

    public int Length { get; set; }
    public int Capacity => Buffer.Length;
    public ReadOnlyMemory<byte> Bytes => Buffer.AsMemory(0, Length);
    internal Memory<byte> Free => Buffer.AsMemory(Length);
    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PooledBytes));

    /// <summary>A larger buffer, with the bytes so far.</summary>
    internal void Grow(int capacity)
    {
        var larger = Rent(capacity);
        Buffer.AsSpan(0, Length).CopyTo(larger);
        Return(Buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer) Return(buffer);
        _buffer = null;
    }

    private static byte[] Rent(int size) => size switch
    {
        <= SharedMax => System.Buffers.ArrayPool<byte>.Shared.Rent(size),
        <= LargeMax => Large.Rent(size),
        _ => GC.AllocateUninitializedArray<byte>(size),
    };

    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= SharedMax) System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        else if (buffer.Length <= LargeMax) Large.Return(buffer);
    }
}

/// <summary>
/// Splits a batch body into the text of its reports: a JSON array of objects, or JSON Lines (one
/// report per line). Only the envelope is checked here; each report is read and validated on its
/// own so that one bad report does not sink the batch.
/// </summary>
public static class BatchSplitter
{
    /// <param name="Bytes">The report's JSON, as sent (bytes that are not UTF-8 are refused when it is read).</param>
    /// <param name="Line">The line of the body the report starts on.</param>
    public sealed record Item(int Index, ReadOnlyMemory<byte> Bytes, int Line)
    {
        /// <summary>The report's JSON as text; null when its bytes are not UTF-8.</summary>
        public string? Text => Utf8Text.Decode(Bytes.Span, out _)?.TrimEnd();

        /// <summary>The report read and validated: straight from the bytes when it is acceptable, otherwise as text, naming every problem.</summary>
        public ReportParse Parse() =>
            ReportReader.ParseAcceptable(Bytes.Span)
            ?? (Utf8Text.Decode(Bytes.Span, out var notText) is { } text ? ReportReader.Parse(text.TrimEnd()) : new ReportParse(null, [notText!]));
    }

    /// <summary>The items, or the envelope's error (a broken array cannot be split safely).</summary>
    /// <param name="body">UTF-8. Each item is read on its own: the whole batch never becomes one string. The items point into it.</param>
    public static (List<Item>? Items, ContractError? Error) Split(ReadOnlyMemory<byte> body)
    {
        var bytes = body.Span;
        if (bytes.StartsWith("\uFEFF"u8)) { body = body[3..]; bytes = body.Span; }
        var start = SkipWhitespace(bytes, 0);
        if (start == bytes.Length) return (null, new ContractError("", "empty batch: expected a JSON array of reports or JSON Lines"));
        return bytes[start] == (byte)'[' ? SplitArray(body, start) : (SplitLines(body), null);
    }

    /// <summary>The first position from <paramref name="i"/> on that is not white space (as <c>char.IsWhiteSpace</c> says, for any character).</summary>
    private static int SkipWhitespace(ReadOnlySpan<byte> body, int i)
    {
        while (i < body.Length)
        {
            if (body[i] < 0x80)
            {
                if (!char.IsWhiteSpace((char)body[i])) return i;
                i++;
            }
            else if (System.Text.Rune.DecodeFromUtf8(body[i..], out var rune, out var used) == System.Buffers.OperationStatus.Done && System.Text.Rune.IsWhiteSpace(rune))
                i += used;
            else return i;
        }
        return i;
    }

    private static List<Item> SplitLines(ReadOnlyMemory<byte> memory)
    {
        var body = memory.Span;
        var items = new List<Item>();
        var line = 0;
        var from = 0;
        while (true)
        {
            var newline = body[from..].IndexOf((byte)'\n');
            var end = newline < 0 ? body.Length : from + newline;
            line++;
            var text = body[from..end];
            if (SkipWhitespace(text, 0) < text.Length) items.Add(new Item(items.Count, memory[from..end], line));
            if (newline < 0) return items;
            from = end + 1;
        }
    }

    private static (List<Item>?, ContractError?) SplitArray(ReadOnlyMemory<byte> memory, int open)
    {
        var body = memory.Span;
        var items = new List<Item>();
        var i = open + 1;
        int line = 1, counted = 0;
        while (true)
        {
            i = SkipWhitespace(body, i);
            if (i >= body.Length) return (null, new ContractError("", "malformed JSON: the batch array is not closed"));
            if (body[i] == (byte)']' && items.Count == 0) { i++; break; }
            var itemStart = i;
            var depth = 0;
            var inString = false;
            // Every byte that matters here is ASCII, and no byte of a multi-byte character is.
            for (; i < body.Length; i++)
            {
                var c = body[i];
                if (inString)
                {
                    if (c == (byte)'\\') i++;
                    else if (c == (byte)'"') inString = false;
                    continue;
                }
                if (c == (byte)'"') inString = true;
                else if (c is (byte)'{' or (byte)'[') depth++;
                else if (c is (byte)'}' or (byte)']')
                {
                    if (depth == 0) break;
                    depth--;
                }
                else if (c == (byte)',' && depth == 0) break;
            }
            if (i >= body.Length) return (null, new ContractError($"[{items.Count}]", "malformed JSON: the batch array is not closed"));
            line += body[counted..itemStart].Count((byte)'\n');
            counted = itemStart;
            items.Add(new Item(items.Count, memory[itemStart..i], line));
            if (body[i] == (byte)']') { i++; break; }
            i++; // the comma
        }
        if (SkipWhitespace(body, i) < body.Length) return (null, new ContractError("", "malformed JSON: unexpected content after the batch array"));
        return (items, null);
    }
}
