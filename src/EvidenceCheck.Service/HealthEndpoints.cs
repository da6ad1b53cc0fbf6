using EvidenceCheck.Storage;

namespace EvidenceCheck.Service;

/// <summary>Liveness for load balancers and the README's first check. No key needed, no personal data.</summary>
public static class HealthEndpoints
{
    public sealed record Health(string Status, string ModelVersion, long ReportsWrittenSinceStart, WriterStats Writer);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", (ReportLedger ledger) => TypedResults.Ok(new Health("ok", ledger.ModelVersion, ledger.Written, ledger.Stats)))
            .WithTags("Health").WithSummary("The service is up and its store is open.");
        return app;
    }
}
