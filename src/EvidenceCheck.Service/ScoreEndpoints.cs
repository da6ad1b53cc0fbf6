using System.Text.Json;
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
            .Produces<ScoreResult>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Scores one report and stores it (idempotent by reportId).");
        group.MapPost("/batch", ScoreBatch)
            .Accepts<Report[]>("application/json", "application/x-ndjson", "application/jsonl")
            .Produces<BatchResponse>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Scores many reports, a JSON array or JSON Lines; results in order, with per-item errors.");
        return group;
    }

    /// <remarks>The answer is the score's JSON as it was stored (<see cref="ScoreJson"/>), not serialised a second time.</remarks>
    internal static async Task<Results<JsonUtf8Result, ProblemHttpResult>> ScoreOne(HttpContext http, ReportLedger ledger, ServiceOptions options, CancellationToken cancel)
    {
        ReportParse parse;
        using (var body = await RequestBody.ReadBytesAsync(http.Request, options.MaxReportBytes, cancel))
        {
            if (body is null) return Problems.TooLarge(options.MaxReportBytes);
            parse = ReportReader.Parse(body.Bytes.Span);
        }
        if (!parse.Ok) return Problems.InvalidReport(parse.Errors);
        // Only the id is kept across the wait: the report and its text are let go once the writer has them, as in a batch.
        var reportId = parse.Report!.ReportId;
        var outcome = await ledger.SubmitAsync(parse.Report, CancellationToken.None);
        if (outcome.Status == SubmitStatus.Conflict) return Conflict(reportId);
        http.Response.Headers["EvidenceCheck-Submission"] = outcome.Status.ToString().ToLowerInvariant();
        return new JsonUtf8Result(outcome.ScoreJson!);
    }

    /// <summary>One item of a batch answer: its score, or the problem that kept it out.</summary>
    /// <remarks>The shape of the answer (OpenAPI); <see cref="BatchResult"/> writes an accepted item's score from its JSON, so Score is left null here.</remarks>
    public sealed record BatchItem(int Index, string? ReportId, int Status, ScoreResult? Score, object? Problem);

    public sealed record BatchResponse(int Accepted, int Rejected, IReadOnlyList<BatchItem> Results);

    internal static async Task<Results<BatchResult, ProblemHttpResult>> ScoreBatch(HttpContext http, ReportLedger ledger, ServiceOptions options, CancellationToken cancel)
    {
        BatchItem?[] results;
        // Indexes and ids only: the reports themselves are let go once the writer has them, not held until the flush.
        List<(int Index, string ReportId)> valid;
        Task<SubmitOutcome[]> submitted;
        // The items are read from the body's bytes, so it is given back only once all are read: slice by slice, as the
        // writer has room for them (a batch waiting its turn holds its bytes, not thousands of reports made of them).
        using (var body = await RequestBody.ReadBytesAsync(http.Request, options.MaxBatchBytes, cancel))
        {
            if (body is null) return Problems.TooLarge(options.MaxBatchBytes);
            var (items, envelopeError) = BatchSplitter.Split(body.Bytes);
            if (envelopeError is not null) return Problems.InvalidReport([envelopeError]);
            if (items!.Count > options.MaxBatchReports)
                return Problems.Status(StatusCodes.Status413PayloadTooLarge, "Too many reports in one batch", $"The limit is {options.MaxBatchReports:N0} reports; this batch has {items.Count:N0}.");

            results = new BatchItem?[items.Count];
            valid = new List<(int Index, string ReportId)>(items.Count);
            submitted = await ledger.QueueManyAsync(Accepted(items, results, valid), CancellationToken.None);
        }
        var scores = new byte[]?[results.Length];
        var outcomes = await submitted;
        for (var i = 0; i < valid.Count; i++)
        {
            var (index, reportId) = valid[i];
            results[index] = outcomes[i].Status == SubmitStatus.Conflict
                ? new BatchItem(index, reportId, StatusCodes.Status409Conflict, null,
                    ItemProblem(409, "This reportId is already stored with different content", [new ContractError("reportId", "already stored with different content")]))
                : new BatchItem(index, reportId, StatusCodes.Status200OK, null, null);
            scores[index] = outcomes[i].ScoreJson;
        }
        return new BatchResult(results!, scores);
    }

    /// <summary>
    /// The batch's valid reports, parsed as they are asked for; each invalid one (or one whose id came earlier in the batch)
    /// gets its problem in <paramref name="results"/>, each valid one its place and id in <paramref name="valid"/>.
    /// </summary>
    private static IEnumerable<Report> Accepted(IReadOnlyList<BatchSplitter.Item> items, BatchItem?[] results, List<(int Index, string ReportId)> valid)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var parse = item.Parse();
            if (!parse.Ok)
            {
                var errors = parse.Errors.Select(e => e with { Line = item.Line > 0 && e.Line is { } l ? item.Line + l - 1 : e.Line }).ToArray();
                results[item.Index] = new BatchItem(item.Index, null, StatusCodes.Status400BadRequest, null, ItemProblem(400, "The report is not acceptable", errors));
            }
            else if (!ids.Add(parse.Report!.ReportId))
                results[item.Index] = new BatchItem(item.Index, parse.Report.ReportId, StatusCodes.Status400BadRequest, null,
                    ItemProblem(400, "The report is not acceptable", [new ContractError("reportId", "appears earlier in the same batch")]));
            else
            {
                valid.Add((item.Index, parse.Report.ReportId));
                yield return parse.Report;
            }
        }
    }

    /// <summary>An answer that is JSON already, as UTF-8: a typed result like <c>TypedResults.Ok</c>'s, without serialising again.</summary>
    public sealed class JsonUtf8Result(byte[] json) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = json.Length;
            return http.Response.Body.WriteAsync(json).AsTask();
        }
    }

    /// <summary>
    /// A batch's answer (<see cref="BatchResponse"/>), written directly: each accepted item's score is its stored JSON,
    /// the problems of the others are serialised as the rest of the API's.
    /// </summary>
    public sealed class BatchResult(IReadOnlyList<BatchItem> results, byte[]?[] scores) : IResult
    {
        public async Task ExecuteAsync(HttpContext http)
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            var accepted = results.Count(r => r.Status == StatusCodes.Status200OK);
            await using (var w = ScoreJson.Writer(http.Response.BodyWriter))
            {
                w.WriteStartObject();
                w.WriteNumber("accepted", accepted);
                w.WriteNumber("rejected", results.Count - accepted);
                w.WriteStartArray("results");
                for (var i = 0; i < results.Count; i++)
                {
                    var item = results[i];
                    w.WriteStartObject();
                    w.WriteNumber("index", item.Index);
                    w.WriteString("reportId", item.ReportId);
                    w.WriteNumber("status", item.Status);
                    w.WritePropertyName("score");
                    if (scores[i] is { } score) w.WriteRawValue(score, skipInputValidation: true);
                    else w.WriteNullValue();
                    w.WritePropertyName("problem");
                    JsonSerializer.Serialize(w, item.Problem, JsonSerializerOptions.Web);
                    w.WriteEndObject();
                    // Big batches go out as they are written, not held whole.
                    if (w.BytesPending > 32 * 1024) await w.FlushAsync(http.RequestAborted);
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            await http.Response.BodyWriter.FlushAsync(http.RequestAborted);
        }
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
