using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EvidenceCheck.Storage;

namespace EvidenceCheck.Service.Reviewer;

/// <summary>
/// Holds the machine API's reviewer endpoints (/v1/reports/{id}, /v1/reports/{id}/decisions, API keys) to the
/// same safeguards as the page, so a reviewer key is no side door: personal data in a report is masked and the
/// read is audited; "genuine" on a report the scorer rated high is refused there (it needs the two-person rule,
/// which lives in the reviewer workspace).
/// </summary>
public static partial class ReviewApiGuard
{
    public static IApplicationBuilder UseReviewApiGuard(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var path = http.Request.Path.Value ?? "";
        var decision = HttpMethods.IsPost(http.Request.Method) ? DecisionPath().Match(path) : null;
        // Decisions and the workspace's own requests (sign-in, reveal) are a few words: read once, within the decisions'
        // limit, before anything binds them, instead of Kestrel's 64 MB backstop for batches.
        if (decision is not null && (decision.Success || path.StartsWith("/review/api/", StringComparison.Ordinal)))
        {
            if (await BufferedWithin(http, ReviewEndpoints.MaxDecisionBytes) is not { } body) return;
            if (decision.Success && await RefuseSingleUphold(http, Uri.UnescapeDataString(decision.Groups[1].Value), body)) return;
            await next(http);
            return;
        }
        if (HttpMethods.IsGet(http.Request.Method) && ReportPath().Match(path) is { Success: true } r)
        {
            await MaskReport(http, next, Uri.UnescapeDataString(r.Groups[1].Value));
            return;
        }
        await next(http);
    });

    /// <summary>
    /// The body, read whole and put back as a stream the endpoint reads again; null after answering 413 when it is larger
    /// than <paramref name="limit"/>.
    /// </summary>
    private static async Task<byte[]?> BufferedWithin(HttpContext http, int limit)
    {
        using var body = await RequestBody.ReadBytesAsync(http.Request, limit, http.RequestAborted);
        if (body is null)
        {
            await Problems.TooLarge(limit).ExecuteAsync(http);
            return null;
        }
        var bytes = body.Bytes.ToArray();
        http.Request.Body = new MemoryStream(bytes, writable: false);
        http.Request.ContentLength = bytes.Length;
        return bytes;
    }

    private static async Task<bool> RefuseSingleUphold(HttpContext http, string reportId, byte[] body)
    {
        // Only a valid reviewer key gets this far; anyone else is the endpoint's to turn away (401/403).
        if (ReviewerKeyName(http) is not { } caller) return false;
        // Broken JSON and bytes that are not UTF-8 are the endpoint's to answer.
        if (!System.Text.Unicode.Utf8.IsValid(body)) return false;
        string? decision = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("decision", out var value) && value.ValueKind == JsonValueKind.String)
                decision = value.GetString();
        }
        catch (JsonException)
        {
            return false;
        }
        if (decision != "genuine") return false;
        var queries = http.RequestServices.GetRequiredService<ReportQueries>();
        if (queries.GetReport(reportId)?.Score?.Level != "high") return false;
        http.RequestServices.GetRequiredService<AuditLog>().Append("api:" + caller, "decision-refused", reportId, null, new { decision, rule = "two-person", channel = "api-key" });
        await Problems.Status(StatusCodes.Status403Forbidden, "A second, different reviewer must agree",
            $"The scorer rated {reportId} high: upholding it (\"genuine\") needs two reviewers. Decide it in the reviewer workspace (/review), where the second reviewer's agreement is recorded.").ExecuteAsync(http);
        return true;
    }

    private static async Task MaskReport(HttpContext http, RequestDelegate next, string reportId)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }
        buffer.Position = 0;
        if (http.Response.StatusCode != StatusCodes.Status200OK || http.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            await buffer.CopyToAsync(original, http.RequestAborted);
            return;
        }
        var root = await JsonNode.ParseAsync(buffer, cancellationToken: http.RequestAborted);
        var masked = http.RequestServices.GetRequiredService<PiiMasker>().Mask(root!);
        http.RequestServices.GetRequiredService<AuditLog>().Append("api:" + ApiCaller(http), "view", reportId, null, new { masked = masked.Count, channel = "api-key" });
        var bytes = JsonSerializer.SerializeToUtf8Bytes(root, JsonSerializerOptions.Web);
        http.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, http.RequestAborted);
    }

    private static string ApiCaller(HttpContext http) => http.Items[RequireApiKey.CallerItem] as string ?? "unknown";

    private static string? ReviewerKeyName(HttpContext http)
    {
        var key = http.Request.Headers[ApiKeyRing.Header].ToString();
        if (key.Length == 0 && http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) key = auth[7..].Trim();
        return http.RequestServices.GetRequiredService<ApiKeyRing>().Find(key) is { Role: ApiRole.Reviewer } who ? who.Name : null;
    }

    [GeneratedRegex("^/v1/reports/([^/]+)/decisions/?$")]
    private static partial Regex DecisionPath();

    [GeneratedRegex("^/v1/reports/([^/]+)/?$")]
    private static partial Regex ReportPath();
}
