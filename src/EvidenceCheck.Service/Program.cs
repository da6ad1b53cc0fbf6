using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Service;
using EvidenceCheck.Service.Reviewer;
using EvidenceCheck.Storage;
using Microsoft.AspNetCore.Diagnostics;

// Options are read once at start, so configuration files are not watched: a watcher on the content root would also wake
// for every write to a data folder placed under it.
var builder = WebApplication.CreateBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);

// Options: plain objects with documented defaults, bound from configuration, validated before anything starts.
var service = (builder.Configuration.GetSection("Service").Get<ServiceOptions>() ?? new ServiceOptions()).Validated();
var storage = (builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions()).Validated();
var scoring = (builder.Configuration.GetSection("Scoring").Get<ScoringOptions>() ?? new ScoringOptions()).Validated();
var campaigns = (builder.Configuration.GetSection("Campaigns").Get<CampaignOptions>() ?? new CampaignOptions()).Validated();

// Loopback by default; ASPNETCORE_URLS or --urls overrides.
if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(service.Urls);
// Bodies are size-checked by the endpoints (413 with problem details); Kestrel's own limit is the backstop.
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = service.MaxBatchBytes + 1);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(service);
builder.Services.AddSingleton(storage);
builder.Services.AddSingleton(sp => ScoringSetup.CreateScorer(scoring, service, sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(sp =>
{
    var logger = sp.GetRequiredService<ILogger<ReportLedger>>();
    var scorer = sp.GetRequiredService<ReportScorer>();
    return new StoreStartup(status => new ReportLedger(storage, scorer, campaigns, message =>
    {
        logger.LogInformation("{Message}", message);
        status(message);
    }));
});
// Resolved only once the store is open: the store gate answers every request that needs it with 503 until then.
builder.Services.AddSingleton(sp => sp.GetRequiredService<StoreStartup>().Ledger);
builder.Services.AddSingleton(sp => new ReportQueries(storage, sp.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton(sp => ApiKeyRing.FromOptions(service, Path.GetDirectoryName(storage.DatabasePath)!, sp.GetRequiredService<ILogger<ApiKeyRing>>()));
// A query or route value that does not bind ("page=abc") is a 400 saying which and why, not a bare "Bad Request".
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
{
    if (c.Exception is BadHttpRequestException { StatusCode: 400 } bad) c.ProblemDetails.Detail = Problems.Binding(bad.Message);
});
builder.Services.AddOpenApi();
builder.AddReviewer();

var app = builder.Build();

// Open the store (migrating it) now, not on the first request. Most starts take moments, and are waited for: a store that
// cannot be opened (held by another writer, a newer schema) is one line saying why and exit code 1, not a crash with a
// stack trace. One that takes longer (a migration deriving the campaign counters again) goes on while the service
// listens, answering /healthz with "starting".
var startup = app.Services.GetRequiredService<StoreStartup>();
var opening = startup.Start();
if (opening.Wait(TimeSpan.FromSeconds(service.StartupWaitSeconds)) && startup.Failure is { } failure)
{
    LogFailure(app.Logger, failure);
    await app.DisposeAsync(); // flushes the log
    return 1;
}
if (!startup.Ready)
    app.Logger.LogWarning("Listening while the store opens ({Status}); /healthz answers \"starting\" and the API 503 until it is open.", startup.Status);
_ = opening.ContinueWith(_ =>
{
    if (startup.Failure is not { } late) return;
    LogFailure(app.Logger, late);
    app.Lifetime.StopApplication();
}, TaskScheduler.Default);
// Opening read up to a quarter of a million rows into the text index: give that garbage back to the system now.
startup.WhenOpen(_ => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true));
app.Services.GetRequiredService<ApiKeyRing>();

// Errors are problem details; a request Kestrel refuses (too large, broken) keeps its 4xx status, never a 500.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
StoreStartup.UseStoreGate(app);

app.MapOpenApi();
app.MapHealth();
app.MapScoring();
app.MapReview();
app.MapReviewer();

app.Run();
return startup.Failure is null ? 0 : 1;

static void LogFailure(ILogger logger, Exception e)
{
    // The expected ones (held by another writer, a newer schema) say why in one line; anything else with its stack.
    if (e is InvalidOperationException) logger.LogCritical("EvidenceCheck cannot start: {Reason}", e.Message);
    else logger.LogCritical(e, "EvidenceCheck cannot start: {Reason}", e.Message);
}

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
