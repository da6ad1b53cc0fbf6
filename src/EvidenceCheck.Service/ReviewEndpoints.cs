using System.Text.Json;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Evidence;
using EvidenceCheck.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceCheck.Service;

/// <summary>What reviewers use: a stored report with its history, the queue, campaigns, and decisions.</summary>
public static class ReviewEndpoints
{
    public static RouteGroupBuilder MapReview(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Review").AddEndpointFilter(new RequireApiKey(ApiRole.Reviewer));
        group.MapGet("/reports/{id}", GetReport).WithSummary("A stored report, its score history and decisions.");
        group.MapGet("/queue", GetQueue).WithSummary("Flagged reports without a decision, strongest first.");
        group.MapPost("/reports/{id}/decisions", Decide)
            .Accepts<DecisionRequest>("application/json")
            .WithSummary("A reviewer's decision (fabricated | genuine | inconclusive), kept as the label for retraining.");
        group.MapGet("/campaigns/{id}", GetCampaign).WithSummary("A campaign: its members and the links between them.");
        return group;
    }

    public sealed record ReportResponse(string ReportId, DateTimeOffset ReceivedAt, string? Category, string? CampaignId, ScoreResult? Score,
        JsonElement Report, IReadOnlyList<EvidenceFacts> Evidence, IReadOnlyList<ScoreHistoryEntry> Scores, IReadOnlyList<DecisionEntry> Decisions);

    internal static Results<Ok<ReportResponse>, ProblemHttpResult> GetReport(string id, ReportQueries queries)
    {
        if (queries.GetReport(id) is not { } r) return Problems.NotFound("report");
        using var doc = JsonDocument.Parse(r.ReportJson);
        return TypedResults.Ok(new ReportResponse(r.ReportId, r.ReceivedAt, r.Category, r.CampaignId, r.Score, doc.RootElement.Clone(), r.Evidence, r.Scores, r.Decisions));
    }

    internal static Results<Ok<QueuePage>, ProblemHttpResult> GetQueue(ReportQueries queries, string? level, string? category, string? campaign, int? page, int? pageSize)
    {
        var errors = new List<ContractError>();
        if (level is not null && level is not ("low" or "medium" or "high")) errors.Add(new("level", $"\"{level}\" is not one of low | medium | high"));
        if (category is not null && Array.IndexOf(Vocabulary.Categories, category) < 0) errors.Add(new("category", $"\"{category}\" is not one of {string.Join(" | ", Vocabulary.Categories)}"));
        if (page is < 1) errors.Add(new("page", "must be 1 or more"));
        if (pageSize is < 1 or > 500) errors.Add(new("pageSize", "must be between 1 and 500"));
        if (errors.Count > 0) return Problems.Status(StatusCodes.Status400BadRequest, "The query is not acceptable", string.Join("; ", errors),
            new Dictionary<string, object?> { ["errors"] = errors.Select(Problems.ToError).ToArray() });
        return TypedResults.Ok(queries.Queue(new QueueFilter(level, category, campaign, page ?? 1, pageSize ?? 50)));
    }

    public sealed record DecisionRequest(string? Decision, string? Note);

    /// <summary>A decision is a word and a note: its body is refused beyond this.</summary>
    public const int MaxDecisionBytes = 64 * 1024;

    internal static async Task<Results<Created<DecisionEntry>, ProblemHttpResult>> Decide(string id, HttpContext http, ReportQueries queries, AuditLog audit, CancellationToken cancel)
    {
        var (body, tooLarge, notText) = await RequestBody.ReadAsync(http.Request, MaxDecisionBytes, cancel);
        if (tooLarge) return Problems.TooLarge(MaxDecisionBytes);
        if (notText is not null) return Invalid("", notText.Message);
        DecisionRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<DecisionRequest>(body!, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            return Invalid(e.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : "", "malformed JSON or wrong type: " + e.Message.Split(" Path:")[0]);
        }
        if (request is null) return Invalid("", "expected a decision object");
        if (request.Decision is null) return Invalid("decision", "required");
        if (Array.IndexOf(ReportQueries.Decisions, request.Decision) < 0) return Invalid("decision", $"\"{request.Decision}\" is not one of {string.Join(" | ", ReportQueries.Decisions)}");
        if (request.Note is { Length: > 4000 }) return Invalid("note", "longer than 4000 characters");
        var reviewer = http.Items[RequireApiKey.CallerItem] as string ?? "unknown";
        // Audited like a decision in the workspace, in the same transaction.
        var record = new DecisionAudit(audit, "api:" + reviewer, null, new { decision = request.Decision, note = request.Note, channel = "api-key" });
        if (queries.AddDecision(id, request.Decision, request.Note, reviewer, record) is not { } entry) return Problems.NotFound("report");
        return TypedResults.Created($"/v1/reports/{Uri.EscapeDataString(id)}", entry);
    }

    internal static Results<Ok<CampaignView>, ProblemHttpResult> GetCampaign(string id, ReportQueries queries) =>
        queries.GetCampaign(id) is { } c ? TypedResults.Ok(c) : Problems.NotFound("campaign");

    private static ProblemHttpResult Invalid(string path, string message) =>
        Problems.Status(StatusCodes.Status400BadRequest, "The decision is not acceptable", path.Length > 0 ? $"{path}: {message}" : message,
            new Dictionary<string, object?> { ["errors"] = new[] { Problems.ToError(new ContractError(path, message)) } });
}
