using Microsoft.Playwright;

namespace EvidenceCheck.Browser.Tests;

/// <summary>Decisions in a real browser, on their own server: the two-person rule, a counted decision, a linked reviewer refused.</summary>
public sealed class ReviewerDecisionTests(LiveService live) : IClassFixture<LiveService>
{
    [BrowserFact]
    public async Task GenuineOnAHighReport_WaitsForASecondReviewer_ThenCounts()
    {
        var alice = await live.SignedIn("alice");
        await alice.GotoAsync(live.BaseUrl + "/#/report/r-seed-05");
        await alice.WaitForSelectorAsync("#decide form");
        await alice.CheckAsync("#decide input[value=genuine]");
        await alice.FillAsync("#decide textarea", "looks real to me");
        await alice.ClickAsync("#decide button[type=submit]");
        await alice.WaitForSelectorAsync("#pending");
        Assert.Contains("alice proposed", await alice.InnerTextAsync("#pending"));

        // The same reviewer cannot be the second.
        await alice.CheckAsync("#decide input[value=genuine]");
        await alice.ClickAsync("#decide button[type=submit]");
        await alice.WaitForSelectorAsync("#decide .error:has-text('different reviewer')");

        // Still in the queue, marked pending.
        await alice.GotoAsync(live.BaseUrl + "/#/queue");
        await alice.WaitForSelectorAsync("#queue tr[data-report='r-seed-05'] .badge.pending");

        var bob = await live.SignedIn("bob");
        await bob.GotoAsync(live.BaseUrl + "/#/report/r-seed-05");
        await bob.WaitForSelectorAsync("#pending");
        await bob.CheckAsync("#decide input[value=genuine]");
        await bob.ClickAsync("#decide button[type=submit]");
        await bob.WaitForSelectorAsync("#decide .notice.ok");
        Assert.Contains("genuine", await bob.InnerTextAsync("#decide .notice.ok"));
        Assert.Equal(0, await bob.Locator("#pending").CountAsync());
    }

    [BrowserFact]
    public async Task FabricatedDecision_Counts_AndTheReportLeavesTheQueue()
    {
        var page = await live.SignedIn("bob");
        await page.GotoAsync(live.BaseUrl + "/#/report/r-seed-03");
        await page.WaitForSelectorAsync("#decide form");
        await page.Keyboard.PressAsync("f"); // the keyboard way: f chooses "fabricated" and moves to the note
        Assert.True(await page.IsCheckedAsync("#decide input[value=fabricated]"));
        await page.Keyboard.TypeAsync("speaker had left before the claimed time");
        await page.ClickAsync("#decide button[type=submit]");
        await page.WaitForSelectorAsync("#decide .notice.ok");
        await page.GotoAsync(live.BaseUrl + "/#/queue");
        await page.WaitForSelectorAsync("#queue");
        Assert.Equal(0, await page.Locator("#queue tr[data-report='r-seed-03']").CountAsync());
    }

    [BrowserFact]
    public async Task LinkedReviewer_IsToldTheyCannotDecide()
    {
        var page = await live.SignedIn("dave");
        await page.GotoAsync(live.BaseUrl + "/#/report/r-seed-04");
        await page.WaitForSelectorAsync("#decide .notice.warn");
        Assert.Contains("u-liaison", await page.InnerTextAsync("#decide .notice.warn"));
        await page.CheckAsync("#decide input[value=fabricated]");
        await page.ClickAsync("#decide button[type=submit]");
        await page.WaitForSelectorAsync("#decide .error:has-text('cannot decide')");
    }
}
