using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;

namespace EvidenceCheck.Service.Tests;

public class ReviewEndpointTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _app;
    public ReviewEndpointTests(ServiceFactory app) => _app = app;

    [Fact]
    public async Task SeedCampaign_FedOneAtATime_EndsWithAllMembersFlaggedLinkedAndQueued()
    {
        var scoring = _app.Scoring();
        var reports = Some.SeedCampaign(9, "m-svc-seed");
        foreach (var r in reports) Assert.Equal(HttpStatusCode.OK, (await scoring.Score(r)).StatusCode);

        var reviewer = _app.Reviewer();
        string? campaignId = null;
        foreach (var r in reports)
        {
            var stored = await (await reviewer.GetAsync($"/v1/reports/{r.ReportId}")).Read<JsonElement>();
            var score = stored.GetProperty("score");
            Assert.True(score.GetProperty("flagged").GetBoolean(), $"{r.ReportId}: {score}");
            campaignId ??= stored.GetProperty("campaignId").GetString();
            Assert.Equal(campaignId, stored.GetProperty("campaignId").GetString());
        }
        Assert.NotNull(campaignId);

        var queue = await (await reviewer.GetAsync($"/v1/queue?campaign={campaignId}&pageSize=50")).Read<JsonElement>();
        Assert.Equal(9, queue.GetProperty("items").GetArrayLength());
        var campaign = await (await reviewer.GetAsync($"/v1/campaigns/{campaignId}")).Read<JsonElement>();
        Assert.Equal(9, campaign.GetProperty("members").GetArrayLength());
        Assert.True(campaign.GetProperty("linksBetween").GetArrayLength() >= 8);
        // The first report was answered alone, then scored again when the campaign became visible, with the campaign behind it.
        var first = await (await reviewer.GetAsync($"/v1/reports/{reports[0].ReportId}")).Read<JsonElement>();
        var history = first.GetProperty("scores").EnumerateArray().ToArray();
        Assert.True(history.Length >= 2);
        Assert.Null(history[0].GetProperty("campaignId").GetString());
        Assert.True(history[^1].GetProperty("flagged").GetBoolean());
        Assert.True(history[^1].GetProperty("score").GetDouble() >= history[0].GetProperty("score").GetDouble());
        Assert.Equal("campaign", history[^1].GetProperty("cause").GetString());
    }

    [Fact]
    public async Task GenuineRaid_ManyRealParticipants_IsNotFlaggedNorACampaign()
    {
        var scoring = _app.Scoring();
        var reports = Some.GenuineRaid(30, "m-svc-raid");
        foreach (var r in reports)
        {
            var score = await (await scoring.Score(r)).Read<JsonElement>();
            Assert.False(score.GetProperty("flagged").GetBoolean(), score.ToString());
            Assert.Equal(JsonValueKind.Null, score.GetProperty("campaign").ValueKind);
        }
    }

    [Theory]
    [InlineData("/v1/queue?page=abc", "page: \"abc\" is not a whole number")]
    [InlineData("/v1/queue?pageSize=ten", "pageSize: \"ten\" is not a whole number")]
    [InlineData("/v1/queue?page=1.5", "page: \"1.5\" is not a whole number")]
    public async Task Queue_PageThatIsNotANumber_Is400NamingIt(string url, string detail)
    {
        var response = await _app.Reviewer().GetAsync(url);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(detail, (await response.Read<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Queue_FiltersAndPages()
    {
        foreach (var r in Some.SeedCampaign(6, "m-svc-queue", script: 1)) await _app.Scoring().Score(r);
        var reviewer = _app.Reviewer();

        var page1 = await (await reviewer.GetAsync("/v1/queue?category=terrorism&pageSize=2&page=1")).Read<JsonElement>();
        var page2 = await (await reviewer.GetAsync("/v1/queue?category=terrorism&pageSize=2&page=2")).Read<JsonElement>();
        var none = await (await reviewer.GetAsync("/v1/queue?category=spam")).Read<JsonElement>();

        Assert.Equal(2, page1.GetProperty("items").GetArrayLength());
        Assert.True(page1.GetProperty("hasMore").GetBoolean());
        Assert.NotEqual(page1.GetProperty("items")[0].GetProperty("reportId").GetString(), page2.GetProperty("items")[0].GetProperty("reportId").GetString());
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await reviewer.GetAsync("/v1/queue?level=severe")).StatusCode);
    }

    [Fact]
    public async Task Decision_IsStoredWithTheReviewer_AndValidated()
    {
        await _app.Scoring().Score(Some.Report("svc-decide"));
        var reviewer = _app.Reviewer();

        var created = await reviewer.PostAsync("/v1/reports/svc-decide/decisions", Http.Json("""{"decision":"genuine","note":"checked the recording"}"""));
        var wrong = await reviewer.PostAsync("/v1/reports/svc-decide/decisions", Http.Json("""{"decision":"maybe"}"""));
        var wrongType = await reviewer.PostAsync("/v1/reports/svc-decide/decisions", Http.Json("""{"decision": 3}"""));
        var unknown = await reviewer.PostAsync("/v1/reports/nope/decisions", Http.Json("""{"decision":"genuine"}"""));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var stored = await (await reviewer.GetAsync("/v1/reports/svc-decide")).Read<JsonElement>();
        var decision = stored.GetProperty("decisions")[0];
        Assert.Equal("genuine", decision.GetProperty("decision").GetString());
        Assert.Equal("alice", decision.GetProperty("reviewer").GetString());
        // A decision made with a reviewer key is audited like one made in the workspace, and only the one that counted.
        var audited = _app.Services.GetRequiredService<EvidenceCheck.Storage.AuditLog>().Read("svc-decide").Where(e => e.Action == "decision").ToArray();
        Assert.Single(audited);
        Assert.Equal("api:alice", audited[0].Actor);
        Assert.Contains("checked the recording", audited[0].Detail);
    }

    [Fact]
    public async Task Unknown_ReportAndCampaign_Are404ProblemDetails()
    {
        var reviewer = _app.Reviewer();

        var report = await reviewer.GetAsync("/v1/reports/never-seen");
        var campaign = await reviewer.GetAsync("/v1/campaigns/c-000000000000");

        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.Equal("application/problem+json", report.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, campaign.StatusCode);
    }

    [Fact]
    public async Task ReviewerEndpoints_RefuseScoringKeys()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.Scoring().GetAsync("/v1/queue")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/v1/queue")).StatusCode);
    }
}
