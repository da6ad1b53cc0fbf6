using System.Text;
using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Service;

/// <summary>Reads a request body as text, refusing it past a size limit without buffering more than the limit.</summary>
public static class RequestBody
{
    /// <summary>The body as UTF-8 text, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    public static async Task<string?> ReadAsync(HttpRequest request, long limit, CancellationToken cancel)
    {
        if (request.ContentLength is { } declared && declared > limit) return null;
        using var buffer = new MemoryStream(request.ContentLength is { } n ? (int)Math.Min(n, limit) : 16 * 1024);
        var chunk = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancel)) > 0)
            {
                if (buffer.Length + read > limit) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
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
