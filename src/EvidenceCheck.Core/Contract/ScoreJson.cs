using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EvidenceCheck.Core.Contract;

/// <summary>
/// Writes a <see cref="ScoreResult"/> as the contract's JSON by hand, as UTF-8: every report's score is written
/// once per report on the scoring path (stored as it is, and sent as the service's answer, or printed by the
/// command line), and reflection-based serialisation cost more than all the detectors together. Every property
/// is written, nulls included; non-ASCII text is written as it is. A test keeps it equal to <see cref="ContractJson.Serialize"/>.
/// </summary>
public static class ScoreJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static void Write(Utf8JsonWriter w, ScoreResult r)
    {
        w.WriteStartObject();
        w.WriteString("reportId", r.ReportId);
        w.WriteNumber("score", r.Score);
        w.WriteString("level", r.Level);
        w.WriteBoolean("flagged", r.Flagged);
        w.WriteStartArray("reasons");
        foreach (var reason in r.Reasons)
        {
            w.WriteStartObject();
            w.WriteString("signal", reason.Signal);
            if (reason.Value is { } value) w.WriteNumber("value", value);
            else w.WriteNull("value");
            w.WriteString("unit", reason.Unit);
            w.WriteNumber("contribution", reason.Contribution);
            w.WriteString("detail", reason.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (r.Campaign is not { } c) w.WriteNull("campaign");
        else
        {
            w.WriteStartObject("campaign");
            w.WriteString("campaignId", c.CampaignId);
            w.WriteNumber("reports", c.Reports);
            w.WriteNumber("reporters", c.Reporters);
            w.WriteStartArray("links");
            foreach (var link in c.Links) w.WriteStringValue(link);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteString("modelVersion", r.ModelVersion);
        Span<byte> scoredAt = stackalloc byte[ContractJson.MaxTimestampLength];
        w.WriteString("scoredAt", scoredAt[..ContractJson.FormatTimestamp(r.ScoredAt, scoredAt)]);
        w.WriteEndObject();
    }

    // One buffer and writer per thread, reused: a score is written per report on the scoring path.
    [ThreadStatic] private static ArrayBufferWriter<byte>? _buffer;
    [ThreadStatic] private static Utf8JsonWriter? _writer;

    /// <summary>The score written into this thread's buffer; valid until the next call on the thread.</summary>
    private static ReadOnlySpan<byte> WriteToBuffer(ScoreResult r)
    {
        var buffer = _buffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        var w = _writer ??= new Utf8JsonWriter(buffer, Options);
        w.Reset(buffer);
        Write(w, r);
        w.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>The score as UTF-8 JSON.</summary>
    public static byte[] ToUtf8(ScoreResult r) => WriteToBuffer(r).ToArray();

    /// <summary>A writer that escapes text as the scores are escaped, for a document that holds scores as raw values.</summary>
    public static Utf8JsonWriter Writer(IBufferWriter<byte> output) => new(output, new JsonWriterOptions { Encoder = Options.Encoder });

    public static void Write(TextWriter output, ScoreResult r)
    {
        var bytes = WriteToBuffer(r);
        var chars = ArrayPool<char>.Shared.Rent(Encoding.UTF8.GetMaxCharCount(bytes.Length));
        try { output.Write(chars, 0, Encoding.UTF8.GetChars(bytes, chars)); }
        finally { ArrayPool<char>.Shared.Return(chars); }
    }

    public static string ToJson(ScoreResult r) => Encoding.UTF8.GetString(WriteToBuffer(r));
}
