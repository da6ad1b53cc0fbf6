using System.Security.Claims;
using System.Security.Cryptography;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using System.Threading.RateLimiting;

namespace EvidenceCheck.Service.Reviewer;

/// <summary>The configured reviewers: checks passwords and resolves the signed-in one on each request.</summary>
public sealed class ReviewerDirectory(ReviewerOptions options)
{
    public ReviewerIdentity? Check(string name, string password) =>
        options.Accounts.TryGetValue(name, out var account) && ReviewerPassword.Verify(password, account.PasswordHash)
            ? new ReviewerIdentity(name, account.Role, account) : null;

    /// <summary>The reviewer behind the request's cookie, re-read from configuration (a removed reviewer is out at once).</summary>
    public ReviewerIdentity? Current(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } name } && options.Accounts.TryGetValue(name, out var account)
            ? new ReviewerIdentity(name, account.Role, account) : null;
}

/// <summary>Wires the reviewer workspace into the service: two lines in Program.cs.</summary>
public static class ReviewerSetup
{
    public const string SignInLimit = "reviewer-sign-in";

    public static WebApplicationBuilder AddReviewer(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Reviewer").Get<ReviewerOptions>() ?? new ReviewerOptions();
        if (options.UseSampleAccounts && options.Accounts.Count == 0) options.Accounts = SampleReviewers.Accounts();
        options.Validated();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ReviewerDirectory>();
        builder.Services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<StorageOptions>(), sp.GetRequiredService<TimeProvider>()).Migrate());
        builder.Services.AddSingleton(sp => new ReviewerReads(sp.GetRequiredService<StorageOptions>()));
        builder.Services.AddSingleton(_ => new PiiMasker(RandomNumberGenerator.GetBytes(32)));
        builder.Services.AddSingleton<ReviewDesk>();
        // Sign-in cookies are sealed with keys kept beside the store, so a restart does not sign everyone out.
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddDataProtection().SetApplicationName("EvidenceCheck")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(Path.GetDirectoryName(storage.DatabasePath)!, "keys")));
        // Password guessing is slowed per client address: 20 sign-in attempts a minute, then 429.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignInLimit, http => RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "local",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) }));
            limiter.OnRejected = (ctx, _) => new ValueTask(WriteProblem(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "Too many sign-in attempts", "Wait a minute before trying again."));
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "evidencecheck-reviewer";
            cookie.Cookie.HttpOnly = true;
            // Strict: the browser never sends the cookie on a request started by another site.
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.Path = "/review";
            cookie.ExpireTimeSpan = TimeSpan.FromMinutes(options.SessionMinutes);
            cookie.SlidingExpiration = true;
            // An API answers 401/403 with problem details, never a redirect to a login page.
            cookie.Events.OnRedirectToLogin = ctx => WriteProblem(ctx.HttpContext, StatusCodes.Status401Unauthorized, "Sign in first", "Sign in on the reviewer page (POST /review/api/session).");
            cookie.Events.OnRedirectToAccessDenied = ctx => WriteProblem(ctx.HttpContext, StatusCodes.Status403Forbidden, "Not allowed", null);
        });
        return builder;
    }

    public static WebApplication MapReviewer(this WebApplication app)
    {
        app.Services.GetRequiredService<StoreStartup>().WhenOpen(_ => LoadSamplesIntoEmptyStore(app));
        app.UseReviewApiGuard();
        app.UseRateLimiter();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx =>
            {
                var h = ctx.Context.Response.Headers;
                // The page runs only its own script and styles; nothing may frame it.
                h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";
                h.XContentTypeOptions = "nosniff";
                h["Referrer-Policy"] = "no-referrer";
                h.CacheControl = "no-cache";
            },
        });
        app.MapReviewerApi();
        return app;
    }

    /// <summary>Scores the configured sample reports into an empty store, so a new user finds the sample campaign in the queue.</summary>
    private static void LoadSamplesIntoEmptyStore(WebApplication app)
    {
        var options = app.Services.GetRequiredService<ReviewerOptions>();
        app.Services.GetRequiredService<AuditLog>();
        if (options.SampleReports is not { Length: > 0 } configured) return;
        var logger = app.Services.GetRequiredService<ILogger<ReviewerOptions>>();
        if (!app.Services.GetRequiredService<ReviewerReads>().IsEmpty()) return;
        if (Locate(configured, app.Environment.ContentRootPath) is not { } path)
        {
            logger.LogWarning("Sample reports {Path} not found; the queue starts empty.", configured);
            return;
        }
        var reports = new List<Report>();
        foreach (var (line, number) in File.ReadLines(path).Select((l, i) => (l, i + 1)))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var parse = ReportReader.Parse(line);
            if (parse.Ok) reports.Add(parse.Report!);
            else logger.LogWarning("Sample line {Line} skipped: {Errors}", number, string.Join("; ", parse.Errors));
        }
        var ledger = app.Services.GetRequiredService<ReportLedger>();
        // One at a time, in file order: the campaign grows (and re-flags) as it would have live.
        foreach (var report in reports) ledger.SubmitAsync(report).GetAwaiter().GetResult();
        logger.LogInformation("Loaded {Count} sample reports from {Path} into the empty store.", reports.Count, path);
    }

    private static string? Locate(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured)) return File.Exists(configured) ? configured : null;
        if (File.Exists(Path.GetFullPath(configured))) return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, configured))) return Path.Combine(dir.FullName, configured);
        return null;
    }

    private static Task WriteProblem(HttpContext http, int status, string title, string? detail)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { type = "https://tools.ietf.org/html/rfc9110", title, status, detail }, (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json");
    }
}
