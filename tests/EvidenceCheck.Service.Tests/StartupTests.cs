using System.Net;
using System.Text.Json;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Storage;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Service.Tests;

/// <summary>A start whose store takes long to open listens meanwhile, says so, and stores nothing until it is open.</summary>
public class StartupTests
{
    [Fact]
    public async Task WhileTheStoreDerivesCampaignsAgain_HealthSaysStarting_TheApiAnswers503_ThenBothWork()
    {
        using var app = new ServiceFactory();
        app.Settings["Service:StartupWaitSeconds"] = "0";
        // A store with reports, asked (as a migration would) to derive its campaign counters again at the next start.
        var storage = new StorageOptions { DataDirectory = app.DataDirectory };
        using (var ledger = new ReportLedger(storage, new ReportScorer(DetectorCatalog.Discover(), new ScoringOptions(), TimeProvider.System), new CampaignOptions()))
            await ledger.SubmitManyAsync(Some.SeedCampaign(4, "m-startup"));
        SqliteConnection.ClearAllPools();

        using var holder = new SqliteConnection($"Data Source={storage.DatabasePath}");
        holder.Open();
        Execute(holder, "INSERT INTO store_state (name, value) VALUES ('rebuild_campaigns', 'a test asked');");
        // Another connection's write transaction holds the opening at its first write: it is caught in the act.
        Execute(holder, "PRAGMA busy_timeout = 10000; BEGIN IMMEDIATE;");
        var scoring = app.Scoring();

        var health = await scoring.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        var starting = await health.Read<JsonElement>();
        Assert.Equal("starting", starting.GetProperty("status").GetString());
        Assert.Equal("opening the store", starting.GetProperty("detail").GetString());

        var refused = await scoring.Score(Some.Report("r-while-starting"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Contains("The store is being opened (opening the store)", (await refused.Read<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, (await scoring.GetAsync("/openapi/v1.json")).StatusCode);

        Execute(holder, "ROLLBACK;");
        health = await Poll(scoring, h => h.StatusCode == HttpStatusCode.OK);
        Assert.Equal("ok", (await health.Read<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await scoring.Score(Some.Report("r-after-starting"))).StatusCode);
        // Nothing sent while starting was stored; the campaign was derived again from the stored reports.
        var reviewer = app.Reviewer();
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync("/v1/reports/r-while-starting")).StatusCode);
        var member = await (await reviewer.GetAsync("/v1/reports/" + Some.SeedCampaign(4, "m-startup")[^1].ReportId)).Read<JsonElement>();
        Assert.Equal(JsonValueKind.String, member.GetProperty("campaignId").ValueKind);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static async Task<HttpResponseMessage> Poll(HttpClient client, Func<HttpResponseMessage, bool> until)
    {
        for (var i = 0; ; i++)
        {
            var response = await client.GetAsync("/healthz");
            if (until(response) || i == 200) return response;
            await Task.Delay(50);
        }
    }
}
