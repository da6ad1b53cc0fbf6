using System.Net;
using System.Text.Json;
using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Service.Tests;

public class ScoreEndpointTests : IClassFixture<ServiceFactory>
{
    private readonly ServiceFactory _app;
    public ScoreEndpointTests(ServiceFactory app) => _app = app;

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Read<JsonElement>());
    }

    private static string[] Paths(JsonElement problem) =>
        problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()!).ToArray();

    [Fact]
    public async Task Score_ValidReport_AnswersTheScoreAndStoresIt()
    {
        var response = await _app.Scoring().Score(Some.Report("svc-ok"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var score = await response.Read<ScoreResult>();
        Assert.Equal("svc-ok", score!.ReportId);
        // Out of the box the service scores with the shipped trained model, not the rules.
        Assert.StartsWith("fasttree-", score.ModelVersion);
        var stored = await _app.Reviewer().GetAsync("/v1/reports/svc-ok");
        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
    }

    [Fact]
    public async Task Score_AnswerIsTheStoredScore_WithEveryPropertyOfTheContract()
    {
        var answer = await (await _app.Scoring().Score(Some.Report("svc-same"))).Read<JsonElement>();
        var batch = await (await _app.Scoring().PostAsync("/v1/score/batch", Http.Json(Some.Json(Some.Report("svc-same-b")), "application/x-ndjson"))).Read<JsonElement>();

        foreach (var (id, score) in new[] { ("svc-same", answer), ("svc-same-b", batch.GetProperty("results")[0].GetProperty("score")) })
        {
            var stored = await (await _app.Reviewer().GetAsync($"/v1/reports/{id}")).Read<JsonElement>();
            Assert.Equal(id, score.GetProperty("reportId").GetString());
            Assert.Equal(stored.GetProperty("score").GetProperty("score").GetDouble(), score.GetProperty("score").GetDouble());
            Assert.Equal(stored.GetProperty("score").GetProperty("scoredAt").GetDateTimeOffset(), score.GetProperty("scoredAt").GetDateTimeOffset());
            Assert.Equal(stored.GetProperty("score").GetProperty("reasons").GetArrayLength(), score.GetProperty("reasons").GetArrayLength());
            foreach (var property in new[] { "reportId", "score", "level", "flagged", "reasons", "campaign", "modelVersion", "scoredAt" })
                Assert.True(score.TryGetProperty(property, out _), $"{id}: the answer has no \"{property}\"");
        }
    }

    [Fact]
    public async Task Score_MalformedJson_Is400NamingWhereItBroke()
    {
        var response = await _app.Scoring().PostAsync("/v1/score", Http.Json("""{"reportId": "svc-broken", "receivedAt": """));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.NotEmpty(Paths(problem));
        Assert.Equal(404, (int)(await _app.Reviewer().GetAsync("/v1/reports/svc-broken")).StatusCode);
    }

    [Fact]
    public async Task Score_WrongType_Is400WithTheFieldPath()
    {
        var json = Some.Json(Some.Report("svc-type")).Replace("\"accountId\":\"acct-svc-type\"", "\"accountId\":\"acct-svc-type\",\"meetingsAttended\":\"many\"");
        var response = await _app.Scoring().PostAsync("/v1/score", Http.Json(json));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("reporter.meetingsAttended", Paths(problem));
    }

    [Fact]
    public async Task Score_MissingRequiredField_Is400WithTheFieldPath()
    {
        var response = await _app.Scoring().PostAsync("/v1/score", Http.Json("""{"reportId": "svc-missing"}"""));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.Contains("receivedAt", Paths(problem));
    }

    [Fact]
    public async Task Score_NotJsonAtAll_Is400NotA500()
    {
        var response = await _app.Scoring().PostAsync("/v1/score", Http.Json("\u0000\u0001 garbage ]]"));

        await Problem(response, HttpStatusCode.BadRequest);
    }

    private static ByteArrayContent Bytes(byte[] body, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Score_BodyNotUtf8_Is400SayingWhere_AndNothingIsStored()
    {
        // "svc-café" sent in Latin-1: replacing the byte would store and answer another id than the client's.
        var body = Utf8(Some.Json(Some.Report("svc-cafX"))).Select(b => b == (byte)'X' ? (byte)0xE9 : b).ToArray();

        var problem = await Problem(await _app.Scoring().PostAsync("/v1/score", Bytes(body)), HttpStatusCode.BadRequest);

        Assert.Contains("not UTF-8", problem.GetProperty("detail").GetString());
        Assert.Contains("0xE9", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Reviewer().GetAsync("/v1/reports/svc-caf%EF%BF%BD")).StatusCode);
    }

    [Fact]
    public async Task Score_LeadingByteOrderMark_IsAccepted()
    {
        var response = await _app.Scoring().PostAsync("/v1/score", Bytes([0xEF, 0xBB, 0xBF, .. Utf8(Some.Json(Some.Report("svc-bom")))]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("\\u0000", "reportId")]       // NUL
    [InlineData("\\u001b[31m", "reportId")]   // a terminal escape sequence
    public async Task Score_ControlCharacterInId_Is400NamingIt(string inId, string path)
    {
        var json = Some.Json(Some.Report("svc-odd-id")).Replace("\"svc-odd-id\"", $"\"svc-odd{inId}-id\"");

        var problem = await Problem(await _app.Scoring().PostAsync("/v1/score", Http.Json(json)), HttpStatusCode.BadRequest);

        Assert.Contains(path, Paths(problem));
    }

    [Fact]
    public async Task Score_IdsDifferingOnlyInALoneSurrogate_AreEach400_NotStoredAsOne()
    {
        foreach (var half in new[] { "\\ud800", "\\ud801" })
        {
            var json = Some.Json(Some.Report("svc-half")).Replace("\"svc-half\"", $"\"svc-half{half}\"");
            var problem = await Problem(await _app.Scoring().PostAsync("/v1/score", Http.Json(json)), HttpStatusCode.BadRequest);
            Assert.Contains("reportId", Paths(problem));
        }
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Reviewer().GetAsync("/v1/reports/svc-half%EF%BF%BD")).StatusCode);
    }

    [Fact]
    public async Task Batch_ItemNotUtf8_IsRefusedAlone_AndAByteOrderMarkIsSkipped()
    {
        var good = Utf8(Some.Json(Some.Report("svc-b-utf8-1")));
        var bad = Utf8(Some.Json(Some.Report("svc-b-utf8-X"))).Select(b => b == (byte)'X' ? (byte)0xFF : b).ToArray();
        var last = Utf8(Some.Json(Some.Report("svc-b-utf8-3")));
        byte[] body = [0xEF, 0xBB, 0xBF, .. good, (byte)'\n', .. bad, (byte)'\r', (byte)'\n', .. last];

        var response = await _app.Scoring().PostAsync("/v1/score/batch", Bytes(body, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await response.Read<JsonElement>()).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([200, 400, 200], items.Select(i => i.GetProperty("status").GetInt32()));
        var error = items[1].GetProperty("problem").GetProperty("errors")[0];
        Assert.Contains("not UTF-8", error.GetProperty("message").GetString());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
    }

    [Fact]
    public async Task Score_OversizeBody_Is413()
    {
        var report = Some.Report("svc-big", r => r.Evidence = [new Evidence { Kind = "photo", ContentBase64 = new string('A', 100_000) }]);

        var response = await _app.Scoring().Score(report);

        await Problem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Reviewer().GetAsync("/v1/reports/svc-big")).StatusCode);
    }

    [Fact]
    public async Task Score_SameReportAgain_IsIdempotent()
    {
        var client = _app.Scoring();
        var first = await (await client.Score(Some.Report("svc-idem"))).Read<ScoreResult>();

        var again = await client.Score(Some.Report("svc-idem"));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("unchanged", again.Headers.GetValues("EvidenceCheck-Submission").Single());
        Assert.Equal(first!.ScoredAt, (await again.Read<ScoreResult>())!.ScoredAt);
        var stored = await (await _app.Reviewer().GetAsync("/v1/reports/svc-idem")).Read<JsonElement>();
        Assert.Equal(1, stored.GetProperty("scores").GetArrayLength());
    }

    [Fact]
    public async Task Score_SameIdOtherContent_Is409()
    {
        var client = _app.Scoring();
        await client.Score(Some.Report("svc-clash", r => r.Text = "one"));

        var response = await client.Score(Some.Report("svc-clash", r => r.Text = "two"));

        await Problem(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Batch_JsonLines_ScoresInOrderWithPerItemErrors()
    {
        var body = string.Join('\n', Some.Json(Some.Report("svc-b1")), """{"reportId": 42}""", Some.Json(Some.Report("svc-b3")));

        var response = await _app.Scoring().PostAsync("/v1/score/batch", Http.Json(body, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Read<JsonElement>();
        var items = result.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([200, 400, 200], items.Select(i => i.GetProperty("status").GetInt32()));
        Assert.Equal("svc-b3", items[2].GetProperty("score").GetProperty("reportId").GetString());
        Assert.Contains("reportId", Paths(items[1].GetProperty("problem")));
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task Batch_JsonArray_ScoresEveryItem()
    {
        var body = "[" + string.Join(",", Enumerable.Range(0, 5).Select(i => Some.Json(Some.Report($"svc-arr-{i}")))) + "]";

        var response = await _app.Scoring().PostAsync("/v1/score/batch", Http.Json(body));

        var result = await response.Read<JsonElement>();
        Assert.Equal(5, result.GetProperty("accepted").GetInt32());
        Assert.Equal(["svc-arr-0", "svc-arr-1", "svc-arr-2", "svc-arr-3", "svc-arr-4"],
            result.GetProperty("results").EnumerateArray().Select(i => i.GetProperty("reportId").GetString()));
    }

    [Fact]
    public async Task Batch_BrokenArray_Is400AndStoresNothing()
    {
        var body = "[" + Some.Json(Some.Report("svc-half")) + ", {\"reportId\": ";

        var response = await _app.Scoring().PostAsync("/v1/score/batch", Http.Json(body));

        await Problem(response, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.Reviewer().GetAsync("/v1/reports/svc-half")).StatusCode);
    }

    [Fact]
    public async Task Score_WithoutKey_Is401_WithReviewerKey_Is403()
    {
        var anonymous = await _app.CreateClient().PostAsync("/v1/score", Http.Json(Some.Report("svc-anon")));
        var reviewer = await _app.Reviewer().Score(Some.Report("svc-rev"));

        await Problem(anonymous, HttpStatusCode.Unauthorized);
        await Problem(reviewer, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Health_AndOpenApi_AreServed()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        var openApi = await client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "/v1/score", "/v1/score/batch", "/v1/reports/{id}", "/v1/queue", "/v1/reports/{id}/decisions", "/v1/campaigns/{id}", "/healthz" })
            Assert.Contains($"\"{path}\"", openApi);
        // The score endpoints write their JSON directly; the document still describes what they answer.
        Assert.Contains("\"#/components/schemas/ScoreResult\"", openApi);
        Assert.Contains("\"#/components/schemas/BatchResponse\"", openApi);
    }

    [Fact]
    public async Task Health_ShowsTheWritersTimeByStage_AndSqliteKeepsNoMemoryStatistics()
    {
        Assert.Equal(HttpStatusCode.OK, (await _app.Scoring().Score(Some.Report("svc-health-stages"))).StatusCode);

        var client = _app.CreateClient();
        var writer = Newtonsoft.Json.Linq.JObject.Parse(await client.GetStringAsync("/healthz"))["writer"]!;
        var stages = writer["stages"]!;
        foreach (var stage in new[] { "lookup", "campaign", "rows", "scores", "commit" }) Assert.True((double)stages[stage]! > 0, stage);
        Assert.NotNull(stages["firstScoreWait"]);
        Assert.NotNull(stages["rescores"]);
        // The store's process-wide settings were made before its first connection: SQLite counts no allocations.
        Assert.Equal(0, SQLitePCL.raw.sqlite3_memory_used());
    }
}
