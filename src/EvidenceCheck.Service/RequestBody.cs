using System.Text;
using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Service;

/// <summary>Reads a request body as text, refusing it past a size limit without buffering more than the limit.</summary>
public static class RequestBody
{
    /// <summary>The body as UTF-8 text, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    /// <remarks>
    /// Read into a pooled buffer sized from Content-Length: a fresh read buffer per request (64 KiB, zeroed) used to be
    /// half of everything a single score allocated, and with it half of the collections that pause the writer.
    /// </remarks>
    public static async Task<string?> ReadAsync(HttpRequest request, long limit, CancellationToken cancel)
    {
        if (request.ContentLength is { } declared && declared > limit) return null;
        // One byte more than declared, so the end of the body is seen without growing the buffer.
        var buffer = Rent(request.ContentLength is { } n ? (int)n + 1 : 16 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = Rent((int)Math.Min(2L * buffer.Length, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Return(buffer);
                    buffer = larger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancel);
                if (read == 0) break;
                length += read;
                if (length > limit) return null;
            }
            // Decoded before the buffer goes back to the pool.
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        finally
        {
            Return(buffer);
        }
    }

    /// <summary>Bodies up to this size are read into pooled buffers; larger ones (big batches) get their own, so the pool never keeps them.</summary>
    private const int PooledBytes = 1024 * 1024;

    private static byte[] Rent(int size) =>
        size <= PooledBytes ? System.Buffers.ArrayPool<byte>.Shared.Rent(size) : GC.AllocateUninitializedArray<byte>(size);

    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= PooledBytes) System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
    }
}

/// <summary>
/// Splits a batch body into the text of its reports: a JSON array of objects, or JSON Lines (one
/// report per line). Only the envelope is checked here; each report is read and validated on its
/// own so that one bad report does not sink the batch.
/// </summary>
public static class BatchSplitter
{
    public sealed record Item(int Index, string Text, int Line);

    /// <summary>The items, or the envelope's error (a broken array cannot be split safely).</summary>
    public static (List<Item>? Items, ContractError? Error) Split(string body)
    {
        var start = 0;
        while (start < body.Length && char.IsWhiteSpace(body[start])) start++;
        if (start == body.Length) return (null, new ContractError("", "empty batch: expected a JSON array of reports or JSON Lines"));
        return body[start] == '[' ? SplitArray(body, start) : (SplitLines(body), null);
    }

    private static List<Item> SplitLines(string body)
    {
        var items = new List<Item>();
        var line = 0;
        foreach (var text in body.Split('\n'))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            items.Add(new Item(items.Count, text.TrimEnd('\r'), line));
        }
        return items;
    }

    private static (List<Item>?, ContractError?) SplitArray(string body, int open)
    {
        var items = new List<Item>();
        var i = open + 1;
        int line = 1, counted = 0;
        int LineOf(int position)
        {
            for (; counted < position; counted++) if (body[counted] == '\n') line++;
            return line;
        }
        while (true)
        {
            while (i < body.Length && char.IsWhiteSpace(body[i])) i++;
            if (i >= body.Length) return (null, new ContractError("", "malformed JSON: the batch array is not closed"));
            if (body[i] == ']' && items.Count == 0) { i++; break; }
            var itemStart = i;
            var depth = 0;
            var inString = false;
            for (; i < body.Length; i++)
            {
                var c = body[i];
                if (inString)
                {
                    if (c == '\\') i++;
                    else if (c == '"') inString = false;
                    continue;
                }
                if (c == '"') inString = true;
                else if (c is '{' or '[') depth++;
                else if (c is '}' or ']')
                {
                    if (depth == 0) break;
                    depth--;
                }
                else if (c == ',' && depth == 0) break;
            }
            if (i >= body.Length) return (null, new ContractError($"[{items.Count}]", "malformed JSON: the batch array is not closed"));
            items.Add(new Item(items.Count, body[itemStart..i].TrimEnd(), LineOf(itemStart)));
            if (body[i] == ']') { i++; break; }
            i++; // the comma
        }
        for (; i < body.Length; i++)
            if (!char.IsWhiteSpace(body[i])) return (null, new ContractError("", "malformed JSON: unexpected content after the batch array"));
        return (items, null);
    }
}
