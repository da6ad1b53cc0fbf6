using EvidenceCheck.Core.Contract;
using EvidenceCheck.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceCheck.Service;

/// <summary>What moderation queues call: one report, or many. Every accepted report is stored before its score is answered.</summary>
public static class ScoreEndpoints
{
    public static RouteGroupBuilder MapScoring(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/score").WithTags("Scoring").AddEndpointFilter(new RequireApiKey(ApiRole.Scoring));
        group.MapPost("", ScoreOne)
            .Accepts<Report>("application/json")
            .WithSummary("Scores one report and stores it (idempotent by reportId).");
        group.MapPost("/batch", ScoreBatch)
            .Accepts<Report[]>("application/json", "application/x-ndjson", "application/jsonl")
            .WithSummary("Scores many reports, a JSON array or JSON Lines; results in order, with per-item errors.");
        return group;
    }

    internal static async Task<Results<Ok<ScoreResult>, ProblemHttpResult>> ScoreOne(HttpContext http, ReportLedger ledger, ServiceOptions options, CancellationToken cancel)
    {
        if (await RequestBody.ReadAsync(http.Request, options.MaxReportBytes, cancel) is not { } body) return Problems.TooLarge(options.MaxReportBytes);
        var parse = ReportReader.Parse(body);
        if (!parse.Ok) return Problems.InvalidReport(parse.Errors);
        var outcome = await ledger.SubmitAsync(parse.Report!, CancellationToken.None);
        if (outcome.Status == SubmitStatus.Conflict) return Conflict(parse.Report!.ReportId);
        http.Response.Headers["EvidenceCheck-Submission"] = outcome.Status.ToString().ToLowerInvariant();
        return TypedResults.Ok(outcome.Score!);
    }

    /// <summary>One item of a batch answer: its score, or the problem that kept it out.</summary>
    public sealed record BatchItem(int Index, string? ReportId, int Status, ScoreResult? Score, object? Problem);

    public sealed record BatchResponse(int Accepted, int Rejected, IReadOnlyList<BatchItem> Results);

    internal static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> ScoreBatch(HttpContext http, ReportLedger ledger, ServiceOptions options, CancellationToken cancel)
    {
        if (await RequestBody.ReadAsync(http.Request, options.MaxBatchBytes, cancel) is not { } body) return Problems.TooLarge(options.MaxBatchBytes);
        var (items, envelopeError) = BatchSplitter.Split(body);
        if (envelopeError is not null) return Problems.InvalidReport([envelopeError]);
        if (items!.Count > options.MaxBatchReports)
            return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Too many reports in one batch", $"The limit is {options.MaxBatchReports:N0} reports; this batch has {items.Count:N0}.");

        var results = new BatchItem?[items.Count];
        var valid = new List<(int Index, Report Report)>(items.Count);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var parse = ReportReader.Parse(item.Text);
            if (!parse.Ok)
            {
                var errors = parse.Errors.Select(e => e with { Line = item.Line > 0 && e.Line is { } l ? item.Line + l - 1 : e.Line }).ToArray();
                results[item.Index] = new BatchItem(item.Index, null, StatusCodes.Status400BadRequest, null, ItemProblem(400, "The report is not acceptable", errors));
            }
            else if (!ids.Add(parse.Report!.ReportId))
                results[item.Index] = new BatchItem(item.Index, parse.Report.ReportId, StatusCodes.Status400BadRequest, null,
                    ItemProblem(400, "The report is not acceptable", [new ContractError("reportId", "appears earlier in the same batch")]));
            else valid.Add((item.Index, parse.Report));
        }
        var outcomes = await ledger.SubmitManyAsync(valid.Select(v => v.Report).ToArray(), CancellationToken.None);
        for (var i = 0; i < valid.Count; i++)
        {
            var (index, report) = valid[i];
            results[index] = outcomes[i].Status == SubmitStatus.Conflict
                ? new BatchItem(index, report.ReportId, StatusCodes.Status409Conflict, null,
                    ItemProblem(409, "This reportId is already stored with different content", [new ContractError("reportId", "already stored with different content")]))
                : new BatchItem(index, report.ReportId, StatusCodes.Status200OK, outcomes[i].Score, null);
        }
        var accepted = results.Count(r => r!.Status == StatusCodes.Status200OK);
        return TypedResults.Ok(new BatchResponse(accepted, results.Length - accepted, results!));
    }

    private static object ItemProblem(int status, string title, IReadOnlyList<ContractError> errors) => new
    {
        status, title, detail = string.Join("; ", errors.Take(5).Select(e => e.ToString())), errors = errors.Select(Problems.ToError).ToArray(),
    };

    private static ProblemHttpResult Conflict(string reportId) =>
        Problems.Status(StatusCodes.Status409Conflict, "This reportId is already stored with different content",
            $"Report \"{reportId}\" was stored earlier with other content; a report id is scored once. Use a new id for a new report.",
            new Dictionary<string, object?> { ["errors"] = new[] { Problems.ToError(new ContractError("reportId", "already stored with different content")) } });
}
