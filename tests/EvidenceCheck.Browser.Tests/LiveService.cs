using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;

namespace EvidenceCheck.Browser.Tests;

/// <summary>
/// The real service on Kestrel (a free loopback port, a temporary data folder, the sample reports and the
/// documented sample reviewers) and one headless Chromium, shared by the tests of a class.
/// </summary>
public sealed class LiveService : IAsyncLifetime
{
    private Factory? _factory;
    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ec-browser-" + Guid.NewGuid().ToString("n"));

    public async Task InitializeAsync()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _factory = new Factory(DataDirectory, BaseUrl, Path.Combine(Repository.Root, "samples", "reports.jsonl"));
        _factory.UseKestrel(port);
        _factory.StartServer();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.ChromiumPath,
            Headless = true,
            // Containers run as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) signed in as <paramref name="name"/>, on the queue.</summary>
    public async Task<IPage> SignedIn(string name)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 900 }, TimezoneId = "UTC" });
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", name + "-reviews");
        await page.ClickAsync("#signin button[type=submit]");
        await page.WaitForSelectorAsync("#queue");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        _playwright?.Dispose();
        _factory?.Dispose();
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private sealed class Factory(string dataDirectory, string url, string samples) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("urls", url);
            builder.UseSetting("Storage:DataDirectory", dataDirectory);
            builder.UseSetting("Reviewer:UseSampleAccounts", "true");
            builder.UseSetting("Reviewer:SampleReports", samples);
        }
    }
}

/// <summary>The repository's root folder (where EvidenceCheck.sln is), for the samples and the README's screenshots.</summary>
public static class Repository
{
    public static string Root => EvidenceCheck.Testing.RepositoryRoot.Folder;

    /// <summary>
    /// Where a screenshot goes: the test's output folder, so that a test run leaves the checkout as it was; the
    /// README's own (docs/screenshots) only with EVIDENCECHECK_UPDATE_SCREENSHOTS=1, when the page changed on purpose.
    /// </summary>
    public static string Screenshot(string name)
    {
        var dir = Environment.GetEnvironmentVariable("EVIDENCECHECK_UPDATE_SCREENSHOTS") == "1"
            ? Path.Combine(Root, "docs", "screenshots")
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }
}

/// <summary>
/// A browser test. Without Chromium it is skipped on a developer's machine, but in CI (CI=true) it runs and
/// fails: a missing browser must never pass for a green build.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public static string ChromiumPath => Environment.GetEnvironmentVariable("EVIDENCECHECK_CHROMIUM") is { Length: > 0 } p ? p : "/usr/bin/chromium";

    public BrowserFactAttribute()
    {
        var ci = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (!File.Exists(ChromiumPath) && !ci)
            Skip = $"No Chromium at {ChromiumPath} (apt-get install -y chromium, or set EVIDENCECHECK_CHROMIUM). In CI this fails instead.";
    }
}
