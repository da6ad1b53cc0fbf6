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
    return new ReportLedger(storage, sp.GetRequiredService<ReportScorer>(), campaigns, message => logger.LogInformation("{Message}", message));
});
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

// Open the store (migrating it) and settle the keys now, not on the first request. A store that cannot be opened (held
// by another writer, a newer schema) is one line saying why and exit code 1, not a crash with a stack trace.
try
{
    app.Services.GetRequiredService<ReportLedger>();
}
catch (InvalidOperationException e)
{
    app.Logger.LogCritical("EvidenceCheck cannot start: {Reason}", e.Message);
    await app.DisposeAsync(); // flushes the log
    return 1;
}
// Opening read up to a quarter of a million rows into the text index: give that garbage back to the system now.
GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
app.Services.GetRequiredService<ApiKeyRing>();

// Errors are problem details; a request Kestrel refuses (too large, broken) keeps its 4xx status, never a 500.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();

app.MapOpenApi();
app.MapHealth();
app.MapScoring();
app.MapReview();
app.MapReviewer();

app.Run();
return 0;

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
