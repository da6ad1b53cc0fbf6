using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace EvidenceCheck.Service.Tests;

/// <summary>
/// SQLite runs in multi-thread mode (no mutex on a connection's calls: <c>SqliteSchema.Configured</c>), which is safe only
/// while no connection is used by two threads at once. Scoring, batches, reviewer reads and decisions all at the same
/// time, through the real app: every answer is one the API promises, and everything answered is stored.
/// </summary>
public class ConcurrencyTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _app;
    public ConcurrencyTests(ServiceFactory app) => _app = app;

    [Fact]
    public async Task ScoringReadingAndDeciding_AllAtOnce_AnswerAsPromised_AndLoseNothing()
    {
        var unexpected = new ConcurrentBag<string>();
        var scored = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        // Clients first, on this thread: the factory starts its host on the first CreateClient and is not safe to start
        // from several threads (two hosts on one store; the second is refused by the writer lock).
        var scoringClients = Enumerable.Range(0, 6).Select(_ => _app.Scoring()).ToArray();
        var reviewerClients = Enumerable.Range(0, 4).Select(_ => _app.Reviewer()).ToArray();

        // Four campaigns fed one report at a time, and two streams of batches, at once.
        var singles = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            var scoring = scoringClients[c];
            foreach (var r in Some.SeedCampaign(12, $"m-conc-{c}", seed: c))
            {
                var response = await scoring.Score(r);
                if (response.StatusCode == HttpStatusCode.OK) scored.Add(r.ReportId);
                else unexpected.Add($"score {r.ReportId}: {(int)response.StatusCode}");
            }
        })).ToArray();
        var batches = Enumerable.Range(0, 2).Select(b => Task.Run(async () =>
        {
            var scoring = scoringClients[4 + b];
            for (var i = 0; i < 5; i++)
            {
                var reports = Some.GenuineRaid(20, $"m-conc-raid-{b}-{i}", seed: 100 + 10 * b + i);
                var body = string.Join('\n', reports.Select(Some.Json));
                var response = await scoring.PostAsync("/v1/score/batch", Http.Json(body, "application/x-ndjson"));
                var answer = await response.Read<JsonElement>();
                if (response.StatusCode != HttpStatusCode.OK || answer.GetProperty("accepted").GetInt32() != reports.Count)
                    unexpected.Add($"batch {b}/{i}: {(int)response.StatusCode} {answer}");
                else foreach (var r in reports) scored.Add(r.ReportId);
            }
        })).ToArray();
        // Reviewers read the queue, reports and campaigns and decide, meanwhile.
        var readers = Enumerable.Range(0, 4).Select(n => Task.Run(async () =>
        {
            var reviewer = reviewerClients[n];
            while (!stop.IsCancellationRequested)
            {
                var queue = await reviewer.GetAsync("/v1/queue?pageSize=20");
                if (queue.StatusCode != HttpStatusCode.OK) { unexpected.Add($"queue: {(int)queue.StatusCode}"); continue; }
                foreach (var item in (await queue.Read<JsonElement>()).GetProperty("items").EnumerateArray().Take(3))
                {
                    var id = item.GetProperty("reportId").GetString();
                    var report = await reviewer.GetAsync($"/v1/reports/{id}");
                    if (report.StatusCode != HttpStatusCode.OK) unexpected.Add($"report {id}: {(int)report.StatusCode}");
                    if (item.TryGetProperty("campaignId", out var c) && c.GetString() is { } campaignId)
                    {
                        var campaign = await reviewer.GetAsync($"/v1/campaigns/{campaignId}");
                        if (campaign.StatusCode != HttpStatusCode.OK) unexpected.Add($"campaign {campaignId}: {(int)campaign.StatusCode}");
                    }
                    if (n == 0)
                    {
                        // One reviewer also decides; a second decision on the same report may be refused, never fail.
                        var decided = await reviewer.PostAsync($"/v1/reports/{id}/decisions", Http.Json("""{"decision":"inconclusive","note":"load test"}"""));
                        if ((int)decided.StatusCode >= 500) unexpected.Add($"decide {id}: {(int)decided.StatusCode}");
                    }
                }
            }
        })).ToArray();

        await Task.WhenAll(singles.Concat(batches));
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        Assert.Empty(unexpected);
        Assert.Equal(4 * 12 + 2 * 5 * 20, scored.Count);
        var reader = _app.Reviewer();
        foreach (var id in scored)
            Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/reports/{id}")).StatusCode);
        // The campaigns became visible despite everything else going on.
        var flagged = await (await reader.GetAsync("/v1/reports/m-conc-0-fake-11")).Read<JsonElement>();
        Assert.True(flagged.GetProperty("score").GetProperty("flagged").GetBoolean(), flagged.ToString());
    }

    [Fact]
    public async Task BatchesLargerThanTheWritersBudget_AtOnce_AnswerEveryItemInItsPlace_AndStoreEveryValidOne()
    {
        // A batch is parsed slice by slice as the writer's budget has room (here 50 reports: each slice of 64 goes in
        // alone), so its items' answers are filled in while other batches' slices go first: each must land at its index.
        using var app = new ServiceFactory();
        app.Settings["Storage:QueueCapacity"] = "50";
        var clients = Enumerable.Range(0, 3).Select(_ => app.Scoring()).ToArray();

        var answers = await Task.WhenAll(clients.Select((client, b) => Task.Run(async () =>
        {
            var lines = new List<string>();
            for (var i = 0; i < 200; i++)
            {
                lines.Add(i % 37 == 5 ? """{"reportId": 7}"""                                // wrong type
                    : i % 41 == 9 ? Some.Json(Some.Report($"m-budget-{b}-{i - 1}"))         // the previous item's id again
                    : Some.Json(Some.Report($"m-budget-{b}-{i}")));
            }
            var response = await client.PostAsync("/v1/score/batch", Http.Json(string.Join('\n', lines), "application/x-ndjson"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (Batch: b, Answer: await response.Read<JsonElement>());
        })));

        var reader = app.Reviewer();
        foreach (var (b, answer) in answers)
        {
            var items = answer.GetProperty("results").EnumerateArray().ToArray();
            Assert.Equal(200, items.Length);
            var accepted = 0;
            for (var i = 0; i < items.Length; i++)
            {
                Assert.Equal(i, items[i].GetProperty("index").GetInt32());
                // (No repeated id follows an item of the wrong type: 8, 49, 90, 131 and 172 are not 5 modulo 37.)
                var bad = i % 37 == 5 || i % 41 == 9;
                Assert.Equal(bad ? 400 : 200, items[i].GetProperty("status").GetInt32());
                if (bad) continue;
                accepted++;
                var id = $"m-budget-{b}-{i}";
                Assert.Equal(id, items[i].GetProperty("score").GetProperty("reportId").GetString());
                Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/v1/reports/{id}")).StatusCode);
            }
            Assert.Equal(accepted, answer.GetProperty("accepted").GetInt32());
            Assert.Equal(200 - accepted, answer.GetProperty("rejected").GetInt32());
        }
    }
}
