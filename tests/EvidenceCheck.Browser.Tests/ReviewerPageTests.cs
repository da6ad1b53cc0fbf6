using Microsoft.Playwright;

// One server and one browser at a time: the machines running these are small.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace EvidenceCheck.Browser.Tests;

/// <summary>
/// A reviewer's first look at the sample campaign, in a real browser: sign in, the queue, a seed report with its
/// reasons and timeline, a reveal that lands in the audit log, the campaign. Nothing here decides, so the
/// screenshots taken here from the samples show the queue as a new user finds it (docs/screenshots is rewritten from
/// them with EVIDENCECHECK_UPDATE_SCREENSHOTS=1, see <see cref="Repository.Screenshot"/>).
/// </summary>
public sealed class ReviewerPageTests(LiveService live) : IClassFixture<LiveService>
{
    [BrowserFact]
    public async Task Queue_AfterSignIn_ListsTheSeedCampaignStrongestFirst()
    {
        var page = await live.SignedIn("alice");
        var rows = page.Locator("#queue tbody tr");
        Assert.True(await rows.CountAsync() >= 3);
        // Which seed report scores highest is the model's call; that the strongest is a seed report is not.
        var first = await rows.First.GetAttributeAsync("data-report");
        Assert.StartsWith("r-seed-", first);
        Assert.Contains("high", await rows.First.InnerTextAsync());
        Assert.Matches(@"\d+ reports", await rows.First.InnerTextAsync());

        // Keyboard: j moves down, k back up, Enter opens the selected report.
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("k");
        Assert.Contains("selected", await rows.First.GetAttributeAsync("class") ?? "");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.Screenshot("queue.png") });
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#report-title");
        Assert.Contains(first!, await page.InnerTextAsync("#report-title"));
    }

    [BrowserFact]
    public async Task SeedReport_ShowsReasonsInPlainWordsAndATimeline()
    {
        var page = await live.SignedIn("alice");
        await page.ClickAsync("#queue a[href='#/report/r-seed-01']");
        await page.WaitForSelectorAsync("#reasons li");
        var reasons = await page.InnerTextAsync("#reasons");
        Assert.Contains("reporter", reasons, StringComparison.OrdinalIgnoreCase);
        Assert.True(await page.Locator("#reasons li").CountAsync() >= 3);

        // The timeline: the meeting window, presence bars, the claimed moment.
        Assert.True(await page.Locator("#timeline-svg").IsVisibleAsync());
        Assert.True(await page.Locator("#timeline-svg rect.presence").CountAsync() >= 1);
        Assert.True(await page.Locator("#claimed-time").CountAsync() == 1);
        Assert.Contains("not in the meeting's attendance record", await page.InnerTextAsync("#timeline"));

        // Personal data is masked by default.
        var email = await page.InnerTextAsync("#reporter .pii[data-path='report.reporter.email']");
        Assert.DoesNotContain("patriot2020", email);
        Assert.Contains("@mailinator.com", email);
        await page.Locator("#timeline").ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.Screenshot("report.png"), FullPage = true });
    }

    [BrowserFact]
    public async Task RevealEmail_WithAReason_ShowsItAndWritesTheAuditLog()
    {
        var page = await live.SignedIn("bob");
        await page.GotoAsync(live.BaseUrl + "/#/report/r-seed-02");
        await page.WaitForSelectorAsync("#reporter");
        await page.ClickAsync("#reporter .pii[data-path='report.reporter.email'] + button.reveal");

        // No reason, no reveal: the server refuses and the dialog says why.
        await page.ClickAsync("#reveal-confirm");
        await page.WaitForSelectorAsync("#reveal-error:has-text('reason')");
        await page.FillAsync("#reveal-reason", "compare with the accused profile's email");
        await page.ClickAsync("#reveal-confirm");
        await page.WaitForSelectorAsync("#reporter .pii.revealed");
        Assert.Contains("@", await page.InnerTextAsync("#reporter .pii.revealed"));
        Assert.DoesNotContain("•", await page.InnerTextAsync("#reporter .pii.revealed"));

        await page.WaitForSelectorAsync("#audit-trail tr[data-action=reveal]");
        var trail = await page.InnerTextAsync("#audit-trail");
        Assert.Contains("report.reporter.email", trail);
        Assert.Contains("compare with the accused profile's email", trail);

        // The lead finds it in the whole log, and the chain verifies.
        var lead = await live.SignedIn("carol");
        await lead.ClickAsync("#nav-audit");
        await lead.WaitForSelectorAsync("#audit-log tr[data-action=reveal]");
        Assert.Contains("bob", await lead.InnerTextAsync("#audit-log tr[data-action=reveal]"));
        await lead.ClickAsync("#verify");
        await lead.WaitForSelectorAsync("#verify-status.check-ok");
        Assert.Contains("intact", await lead.InnerTextAsync("#verify-status"));
    }

    [BrowserFact]
    public async Task Campaign_ShowsItsMembersAndLinksAsAGraph()
    {
        var page = await live.SignedIn("carol");
        await page.ClickAsync("#queue tr[data-report='r-seed-01'] a[href^='#/campaign/']");
        await page.WaitForSelectorAsync("#campaign-graph svg");
        Assert.True(await page.Locator("#campaign-graph .node").CountAsync() >= 3);
        Assert.True(await page.Locator("#campaign-graph .edge").CountAsync() >= 2);
        Assert.True(await page.Locator("#members tbody tr").CountAsync() >= 3);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Repository.Screenshot("campaign.png"), FullPage = true });
    }
}
