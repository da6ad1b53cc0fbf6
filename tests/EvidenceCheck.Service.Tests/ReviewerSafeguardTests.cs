using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvidenceCheck.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Service.Tests;

/// <summary>
/// The reviewer workspace's safeguards, tried straight through the API the way an insider would:
/// masked personal data, reveals that need a reason, the two-person rule, linked reports, and the audit log
/// that cannot be edited and whose tampering is found. The sample reports are loaded at start.
/// </summary>
public sealed class ReviewerSafeguardTests : IDisposable
{
    private readonly ReviewerFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Report_ForAReviewer_HasEmailsIpsAndDevicesMasked()
    {
        var alice = await _app.SignedIn("alice");
        var body = await alice.GetStringAsync("/review/api/reports/r-seed-01");
        Assert.DoesNotContain("patriot2020@mailinator.com", body);
        Assert.DoesNotContain("100.64.12.5", body);
        Assert.DoesNotContain("d-ops-1", body);
        Assert.DoesNotContain("198.51.100.20", body); // a participant's address
        Assert.Contains("@mailinator.com", body);     // the domain stays: a disposable mailbox is a signal
    }

    [Fact]
    public async Task Reveal_WithoutAReason_Is400_AndNothingIsRevealed()
    {
        var alice = await _app.SignedIn("alice");
        foreach (var reason in new[] { null, "", "   " })
        {
            var response = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/reveal", new { path = "report.reporter.email", reason });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains("reason", problem.GetProperty("title").GetString() + problem.GetProperty("detail").GetString());
            Assert.DoesNotContain("patriot2020", await response.Content.ReadAsStringAsync());
        }
        Assert.DoesNotContain(_app.Audit.Read("r-seed-01"), e => e.Action == "reveal");
    }

    [Fact]
    public async Task Reveal_WithAReason_ReturnsTheValueAndIsAuditedWithTheReason()
    {
        var alice = await _app.SignedIn("alice");
        var response = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/reveal", new { path = "report.reporter.email", reason = "check the disposable mailbox" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var revealed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("patriot2020@mailinator.com", revealed.GetProperty("value").GetString());
        var entry = Assert.Single(_app.Audit.Read("r-seed-01"), e => e.Action == "reveal");
        Assert.Equal("alice", entry.Actor);
        Assert.Contains("check the disposable mailbox", entry.Detail);
        Assert.Contains("report.reporter.email", entry.Detail);

        // Only masked personal data can be asked for: a reveal is not a way to read arbitrary fields.
        var notPersonal = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/reveal", new { path = "report.text", reason = "curious" });
        Assert.Equal(HttpStatusCode.BadRequest, notPersonal.StatusCode);
    }

    [Fact]
    public async Task Genuine_OnAHighReport_FromOneReviewer_IsPendingAndDoesNotCount_UntilASecondAgrees()
    {
        var alice = await _app.SignedIn("alice");
        var first = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/decisions", new { decision = "genuine", note = "looks real" });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("pending", (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Empty(_app.Queries.GetReport("r-seed-01")!.Decisions);                 // no label written
        Assert.Contains(_app.Queries.Queue(new QueueFilter()).Items, i => i.ReportId == "r-seed-01"); // still queued

        var again = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/decisions", new { decision = "genuine" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("different reviewer", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty(_app.Queries.GetReport("r-seed-01")!.Decisions);

        var bob = await _app.SignedIn("bob");
        var second = await bob.PostAsJsonAsync("/review/api/reports/r-seed-01/decisions", new { decision = "genuine" });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var label = Assert.Single(_app.Queries.GetReport("r-seed-01")!.Decisions);
        Assert.Equal("genuine", label.Decision);
        Assert.Contains("proposed by alice, agreed by bob", label.Note);
    }

    [Fact]
    public async Task Fabricated_OnAHighReport_CountsAtOnce()
    {
        var alice = await _app.SignedIn("alice");
        var response = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/decisions", new { decision = "fabricated", note = "never in the meeting" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("fabricated", Assert.Single(_app.Queries.GetReport("r-seed-01")!.Decisions).Decision);
        Assert.Contains(_app.Audit.Read("r-seed-01"), e => e.Action == "decision" && e.Actor == "alice");
    }

    [Fact]
    public async Task Decision_OnAReportFiledByTheReviewersOwnAccount_Is403AndSaysWhy()
    {
        var dave = await _app.SignedIn("dave");
        var response = await dave.PostAsJsonAsync("/review/api/reports/r-seed-04/decisions", new { decision = "fabricated" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("You may not decide this", problem.GetProperty("title").GetString());
        Assert.Contains("u-liaison", problem.GetProperty("detail").GetString());
        Assert.Empty(_app.Queries.GetReport("r-seed-04")!.Decisions);
        Assert.Contains(_app.Audit.Read("r-seed-04"), e => e.Action == "decision-refused" && e.Actor == "dave");

        // The same reviewer may decide reports that are not linked to them.
        var other = await dave.PostAsJsonAsync("/review/api/reports/r-seed-01/decisions", new { decision = "fabricated" });
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task CampaignDecision_DecidesEveryMember_GenuineOnHighOnesStaysPending()
    {
        var alice = await _app.SignedIn("alice");
        var campaign = _app.Queries.GetReport("r-seed-01")!.CampaignId!;
        var response = await alice.PostAsJsonAsync($"/review/api/campaigns/{campaign}/decisions", new { decision = "genuine" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        var members = _app.Queries.GetCampaign(campaign)!.Members;
        var high = members.Count(m => m.Level == "high");
        Assert.True(high >= 2);
        Assert.Equal(high, result.GetProperty("pending").GetInt32());
        Assert.Equal(members.Count - high, result.GetProperty("counted").GetInt32());
        foreach (var m in members.Where(m => m.Level == "high")) Assert.Empty(_app.Queries.GetReport(m.ReportId)!.Decisions);
    }

    [Theory]
    [InlineData("PUT", "/review/api/audit/1")]
    [InlineData("PATCH", "/review/api/audit/1")]
    [InlineData("DELETE", "/review/api/audit/1")]
    [InlineData("DELETE", "/review/api/audit")]
    [InlineData("POST", "/review/api/audit")]
    public async Task AuditLog_EditThroughTheApi_Is405AppendOnly(string method, string path)
    {
        var carol = await _app.SignedIn("carol");
        var before = _app.Audit.Read().Count;
        var response = await carol.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { actor = "nobody", detail = "{}" }) });
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("The audit log is append-only", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(before, _app.Audit.Read().Count);
        Assert.True(_app.Audit.Verify().Intact);
    }

    [Fact]
    public async Task AuditLog_UpdateOrDeleteInSqlite_IsRefusedByTheTriggers()
    {
        var alice = await _app.SignedIn("alice");
        await alice.GetStringAsync("/review/api/reports/r-seed-01");
        using var c = _app.Open();
        var update = Assert.Throws<SqliteException>(() => Execute(c, "UPDATE audit_log SET actor = 'someone else' WHERE seq = 1"));
        Assert.Contains("append-only", update.Message);
        var delete = Assert.Throws<SqliteException>(() => Execute(c, "DELETE FROM audit_log"));
        Assert.Contains("append-only", delete.Message);
    }

    [Fact]
    public async Task AuditLog_TamperedAfterDroppingTheTrigger_VerifyNamesTheFirstBrokenEntry()
    {
        var alice = await _app.SignedIn("alice");
        foreach (var id in new[] { "r-seed-01", "r-seed-02", "r-seed-03", "r-seed-05" }) await alice.GetStringAsync($"/review/api/reports/{id}");
        await alice.PostAsJsonAsync("/review/api/reports/r-seed-02/reveal", new { path = "report.reporter.email", reason = "compare with the accused" });
        var entries = _app.Audit.Read();
        Assert.True(_app.Audit.Verify().Intact);
        var reveal = entries.Single(e => e.Action == "reveal");

        // An insider with database access hides their reveal: rewrite it as a harmless view.
        using (var c = _app.Open())
        {
            Execute(c, "DROP TRIGGER audit_log_no_update");
            Execute(c, $"UPDATE audit_log SET action = 'view', detail = '{{}}' WHERE seq = {reveal.Seq}");
        }
        var verification = _app.Audit.Verify();
        Assert.False(verification.Intact);
        Assert.Equal(reveal.Seq, verification.FirstBroken);
        Assert.Contains($"entry {reveal.Seq} was altered", verification.Problem);

        // Leads see the same through the API.
        var carol = await _app.SignedIn("carol");
        var api = await carol.GetFromJsonAsync<JsonElement>("/review/api/audit/verify");
        Assert.False(api.GetProperty("intact").GetBoolean());
        Assert.Equal(reveal.Seq, api.GetProperty("firstBroken").GetInt64());
    }

    [Fact]
    public async Task AuditLog_EntryRemovedAfterDroppingTheTrigger_VerifyNamesTheGap()
    {
        var alice = await _app.SignedIn("alice");
        foreach (var id in new[] { "r-seed-01", "r-seed-02", "r-seed-03" }) await alice.GetStringAsync($"/review/api/reports/{id}");
        using (var c = _app.Open())
        {
            Execute(c, "DROP TRIGGER audit_log_no_delete");
            Execute(c, "DELETE FROM audit_log WHERE seq = 2");
        }
        var verification = _app.Audit.Verify();
        Assert.False(verification.Intact);
        Assert.Equal(2, verification.FirstBroken);
    }

    [Fact]
    public async Task Api_WithoutSignIn_Is401ProblemNotARedirect_AndWithoutTheHeaderChangesAre403()
    {
        var anonymous = _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await anonymous.GetAsync("/review/api/queue");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        var alice = await _app.SignedIn("alice");
        alice.DefaultRequestHeaders.Remove(Reviewer.ReviewerEndpoints.RequestHeader);
        var crossSite = await alice.PostAsJsonAsync("/review/api/reports/r-seed-01/decisions", new { decision = "fabricated" });
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);
        Assert.Empty(_app.Queries.GetReport("r-seed-01")!.Decisions);
    }

    [Fact]
    public async Task SignIn_WrongPassword_Is401_AndTheWholeAuditLogIsForLeadsOnly()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add(Reviewer.ReviewerEndpoints.RequestHeader, "1");
        var wrong = await client.PostAsJsonAsync("/review/api/session", new { name = "alice", password = "guess-guess" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);

        var alice = await _app.SignedIn("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/review/api/audit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/review/api/audit?reportId=r-seed-01")).StatusCode);
        var carol = await _app.SignedIn("carol");
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/review/api/audit")).StatusCode);
    }

    [Fact]
    public async Task ApiKeyReviewer_ReadingAReport_GetsPersonalDataMaskedAndTheReadIsAudited()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ReviewerFactory.ApiKey);
        var body = await client.GetStringAsync("/v1/reports/r-seed-01");
        Assert.DoesNotContain("patriot2020@mailinator.com", body);
        Assert.DoesNotContain("100.64.12.5", body);
        Assert.Contains("u-fresh1", body);
        Assert.Contains(_app.Audit.Read("r-seed-01"), e => e.Action == "view" && e.Actor == "api:integration");
    }

    [Fact]
    public async Task ApiKeyReviewer_UpholdingAHighReportAlone_Is403_NoSideDoorAroundTheTwoPersonRule()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ReviewerFactory.ApiKey);
        var response = await client.PostAsJsonAsync("/v1/reports/r-seed-01/decisions", new { decision = "genuine" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("two reviewers", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Empty(_app.Queries.GetReport("r-seed-01")!.Decisions);

        // Other decisions still go through the machine API.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/reports/r-seed-01/decisions", new { decision = "fabricated" })).StatusCode);
        // Without a valid key the endpoint answers as before.
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().PostAsJsonAsync("/v1/reports/r-seed-02/decisions", new { decision = "genuine" })).StatusCode);
    }

    [Fact]
    public async Task ApiKeyReviewer_OversizeOrNotUtf8Decision_IsTheEndpointsError_NotBufferedByTheGuard()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ReviewerFactory.ApiKey);
        static ByteArrayContent Json(byte[] bytes)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return content;
        }

        var huge = System.Text.Encoding.UTF8.GetBytes($"{{\"decision\": \"genuine\", \"note\": \"{new string('a', 200_000)}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync("/v1/reports/r-seed-03/decisions", Json(huge))).StatusCode);
        var latin1 = System.Text.Encoding.UTF8.GetBytes("{\"decision\": \"genuine\", \"note\": \"cafX\"}").Select(b => b == (byte)'X' ? (byte)0xE9 : b).ToArray();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/v1/reports/r-seed-03/decisions", Json(latin1))).StatusCode);
        Assert.Empty(_app.Queries.GetReport("r-seed-03")!.Decisions);
    }

    [Fact]
    public async Task Workspace_OversizeDecision_Is413_AndNothingIsDecided()
    {
        var alice = await _app.SignedIn("alice");

        var response = await alice.PostAsJsonAsync("/review/api/reports/r-seed-05/decisions", new { decision = "fabricated", note = new string('n', 100_000) });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_app.Queries.GetReport("r-seed-05")!.Decisions);
        // A decision of ordinary size still goes through.
        Assert.True((await alice.PostAsJsonAsync("/review/api/reports/r-seed-05/decisions", new { decision = "fabricated", note = "socks" })).IsSuccessStatusCode);
    }

    [Fact]
    public async Task SignIn_GuessingPasswords_IsCutOffWith429()
    {
        var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add(Reviewer.ReviewerEndpoints.RequestHeader, "1");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 22; i++)
            statuses.Add((await client.PostAsJsonAsync("/review/api/session", new { name = "alice", password = "guess-" + i })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, statuses[0]);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}

/// <summary>The real app over a temporary store holding the sample reports, with four reviewers; dave's platform account is the samples' liaison.</summary>
public sealed class ReviewerFactory : WebApplicationFactory<Program>
{
    // Few iterations: these hashes guard nothing, and sign-ins should be quick in tests.
    private static readonly Dictionary<string, string> Hashes = new[] { "alice", "bob", "carol", "dave" }
        .ToDictionary(n => n, n => ReviewerPassword.Hash(n + "-password", 1_000));

    public const string ApiKey = "reviewer-api-key-0123456789";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ec-reviewer-" + Guid.NewGuid().ToString("n"));
    private StorageOptions Storage => new() { DataDirectory = DataDirectory };
    public AuditLog Audit => new(Storage, TimeProvider.System);
    public ReportQueries Queries => new(Storage, TimeProvider.System);
    public SqliteConnection Open() => SqliteSchema.Open(Storage);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Service:GenerateDevelopmentKeys", "false");
        builder.UseSetting("Service:ReviewerKeys:integration", ApiKey);
        builder.UseSetting("Reviewer:SampleReports", Path.Combine(EvidenceCheck.Testing.RepositoryRoot.Folder, "samples", "reports.jsonl"));
        foreach (var (name, hash) in Hashes)
        {
            builder.UseSetting($"Reviewer:Accounts:{name}:Role", name == "carol" ? "lead" : "reviewer");
            builder.UseSetting($"Reviewer:Accounts:{name}:PasswordHash", hash);
        }
        builder.UseSetting("Reviewer:Accounts:dave:AccountIds:0", "u-liaison");
    }

    /// <summary>A client with its own cookies, signed in, sending the page's anti-forgery header.</summary>
    public async Task<HttpClient> SignedIn(string name)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(Reviewer.ReviewerEndpoints.RequestHeader, "1");
        var response = await client.PostAsJsonAsync("/review/api/session", new { name, password = name + "-password" });
        response.EnsureSuccessStatusCode();
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
