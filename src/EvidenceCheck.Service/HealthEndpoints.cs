using EvidenceCheck.Storage;

namespace EvidenceCheck.Service;

/// <summary>Liveness for load balancers and the README's first check. No key needed, no personal data.</summary>
public static class HealthEndpoints
{
    public sealed record Health(string Status, string ModelVersion, long ReportsWrittenSinceStart, WriterStats Writer);

    /// <param name="Detail">What opening the store is doing (a migration, its progress), or why it failed.</param>
    public sealed record Starting(string Status, string Detail);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", IResult (StoreStartup startup, HttpContext http) =>
            {
                if (startup.Ready)
                {
                    var ledger = startup.Ledger;
                    return TypedResults.Ok(new Health("ok", ledger.ModelVersion, ledger.Written, ledger.Stats));
                }
                // Up, but not ready: a readiness check waits, a liveness check may take any answer as alive.
                http.Response.Headers.RetryAfter = "10";
                return TypedResults.Json(new Starting(startup.Failure is null ? "starting" : "failed", startup.Status), statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .Produces<Health>(StatusCodes.Status200OK).Produces<Starting>(StatusCodes.Status503ServiceUnavailable)
            .WithTags("Health").WithSummary("200 once the store is open; 503 \"starting\" (and what it is doing) while it opens.");
        return app;
    }
}
