using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvidenceCheck.Service.Reviewer;

/// <summary>
/// The reviewer page's API under /review/api: sign-in, the queue, a report (masked), reveals, decisions,
/// campaigns and the audit log. Every rule is enforced here; the page only shows what these answer.
/// </summary>
public static class ReviewerEndpoints
{
    /// <summary>Unsafe requests must carry this header: a cross-site form cannot set it (with SameSite=Strict cookies, CSRF is shut twice).</summary>
    public const string RequestHeader = "X-EvidenceCheck";

    public static void MapReviewerApi(this IEndpointRouteBuilder app)
    {
        var open = app.MapGroup("/review/api").WithTags("Reviewer").AddEndpointFilter(RequireRequestHeader);
        open.MapPost("/session", SignIn).RequireRateLimiting(ReviewerSetup.SignInLimit).WithSummary("Signs a reviewer in (cookie).");
        // The audit log is append-only through every door: these answer 405 whoever asks.
        foreach (var pattern in new[] { "/audit", "/audit/{**rest}" })
            open.MapMethods(pattern, ["PUT", "PATCH", "DELETE", "POST"], AuditIsAppendOnly).WithSummary("Refused: the audit log cannot be edited.");

        var api = app.MapGroup("/review/api").WithTags("Reviewer").RequireAuthorization().AddEndpointFilter(RequireRequestHeader);
        api.MapDelete("/session", (Delegate)SignOut);
        api.MapGet("/me", WhoAmI);
        api.MapGet("/queue", Queue).WithSummary("Flagged reports without a decision, strongest first, with campaign sizes and pending two-person decisions.");
        api.MapGet("/reports/{id}", GetReport).WithSummary("A report with personal data masked; the view is audited.");
        api.MapPost("/reports/{id}/reveal", Reveal).WithSummary("One masked value in clear; needs a reason; audited.");
        api.MapPost("/reports/{id}/decisions", Decide).WithSummary("fabricated | genuine | inconclusive, under the two-person and linked-report rules.");
        api.MapGet("/campaigns/{id}", GetCampaign).WithSummary("A campaign's members and what links them; the view is audited.");
        api.MapPost("/campaigns/{id}/decisions", DecideCampaign).WithSummary("One decision for every undecided member of a campaign.");
        api.MapGet("/audit", ReadAudit).WithSummary("Audit entries: a report's for every reviewer, the whole log for leads.");
        api.MapGet("/audit/verify", VerifyAudit).WithSummary("Checks the hash chain (leads).");
    }

    private static async ValueTask<object?> RequireRequestHeader(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && http.Request.Headers[RequestHeader].ToString() != "1")
            return Problems.Status(StatusCodes.Status403Forbidden, "Cross-site request refused", $"Requests that change something must carry the header {RequestHeader}: 1 (the reviewer page sends it).");
        return await next(context);
    }

    public sealed record SignInRequest(string? Name, string? Password);
    public sealed record SignedIn(string Name, string Role);

    internal static async Task<Results<Ok<SignedIn>, ProblemHttpResult>> SignIn(SignInRequest request, HttpContext http, ReviewerDirectory directory, AuditLog audit)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Password))
            return Problems.Status(StatusCodes.Status400BadRequest, "Name and password are required");
        if (directory.Check(request.Name, request.Password) is not { } who)
        {
            // The same answer for an unknown name and a wrong password: names are not confirmed to strangers.
            await Task.Delay(TimeSpan.FromMilliseconds(300));
            return Problems.Status(StatusCodes.Status401Unauthorized, "Wrong name or password");
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, who.Name), new Claim(ClaimTypes.Role, who.Role)], CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        audit.Append(who.Name, "sign-in", null, null, new { role = who.Role });
        return TypedResults.Ok(new SignedIn(who.Name, who.Role));
    }

    internal static async Task<NoContent> SignOut(HttpContext http)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    internal static Results<Ok<SignedIn>, ProblemHttpResult> WhoAmI(HttpContext http, ReviewerDirectory directory) =>
        directory.Current(http) is { } me ? TypedResults.Ok(new SignedIn(me.Name, me.Role)) : NoLongerAReviewer();

    public sealed record QueueRow(string ReportId, double Score, string Level, string? Category, string? CampaignId, int? CampaignSize,
        DateTimeOffset ReceivedAt, DateTimeOffset? ScoredAt, string? PendingBy);
    public sealed record QueueResponse(IReadOnlyList<QueueRow> Items, int Page, bool HasMore, DateTimeOffset Now, IReadOnlyList<string> Categories);

    internal static Results<Ok<QueueResponse>, ProblemHttpResult> Queue(ReportQueries queries, ReviewerReads reads, AuditLog audit, TimeProvider time,
        string? level, string? category, string? campaign, int? page)
    {
        level = string.IsNullOrEmpty(level) ? null : level;
        category = string.IsNullOrEmpty(category) ? null : category;
        campaign = string.IsNullOrEmpty(campaign) ? null : campaign;
        if (level is not null && level is not ("low" or "medium" or "high"))
            return Problems.Status(StatusCodes.Status400BadRequest, "The query is not acceptable", $"level: \"{level}\" is not one of low | medium | high");
        if (category is not null && Array.IndexOf(Vocabulary.Categories, category) < 0)
            return Problems.Status(StatusCodes.Status400BadRequest, "The query is not acceptable", $"category: \"{category}\" is not one of {string.Join(" | ", Vocabulary.Categories)}");
        var result = queries.Queue(new QueueFilter(level, category, campaign, Math.Max(1, page ?? 1), 100));
        var sizes = reads.CampaignSizes(result.Items.Select(i => i.CampaignId).OfType<string>());
        var pending = audit.OpenPending(result.Items.Select(i => i.ReportId));
        var rows = result.Items.Select(i => new QueueRow(i.ReportId, i.Score, i.Level, i.Category, i.CampaignId,
            i.CampaignId is { } c && sizes.TryGetValue(c, out var n) ? n : null, i.ReceivedAt, i.ScoredAt, pending.GetValueOrDefault(i.ReportId)?.Reviewer)).ToArray();
        return TypedResults.Ok(new QueueResponse(rows, result.Page, result.HasMore, time.GetUtcNow(), Vocabulary.Categories));
    }

    internal static Results<Ok<JsonObject>, ProblemHttpResult> GetReport(string id, HttpContext http, ReviewerDirectory directory, ReportQueries queries,
        ReviewerReads reads, AuditLog audit, PiiMasker masker)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        if (queries.GetReport(id) is not { } stored) return Problems.NotFound("report");
        var root = Document(stored);
        var report = root["report"]!;
        var link = ReviewDesk.LinkTo(me.Account, report);
        var reporterId = report["reporter"]?["accountId"]?.GetValue<string>();
        var history = reporterId is null ? [] : reads.ByReporter(reporterId).Where(r => r.ReportId != stored.ReportId).ToArray();
        var masked = masker.Mask(root);
        audit.Append(me.Name, "view", stored.ReportId, stored.CampaignId, new { masked = masked.Count });
        root["reportId"] = stored.ReportId;
        root["receivedAt"] = stored.ReceivedAt;
        root["category"] = stored.Category;
        root["campaignId"] = stored.CampaignId;
        root["masked"] = Node(masked);
        root["decisions"] = Node(stored.Decisions);
        root["pending"] = Node(audit.OpenPending(stored.ReportId));
        root["twoPersonRule"] = stored.Score?.Level == "high";
        root["linkedToYou"] = link;
        root["reporterHistory"] = Node(history);
        root["audit"] = Node(audit.Read(stored.ReportId).TakeLast(100));
        return TypedResults.Ok(root);
    }

    public sealed record RevealRequest(string? Path, string? Reason);
    public sealed record Revealed(string Path, JsonNode? Value, long AuditSeq);

    internal static Results<Ok<Revealed>, ProblemHttpResult> Reveal(string id, RevealRequest request, HttpContext http, ReviewerDirectory directory,
        ReportQueries queries, AuditLog audit, PiiMasker masker)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        var reason = request.Reason?.Trim() ?? "";
        if (reason.Length < 4)
            return Problems.Status(StatusCodes.Status400BadRequest, "A reason is required to reveal personal data",
                "reason: say why you need to see this value (at least 4 characters); it is written to the audit log with your name.");
        if (reason.Length > 1000) return Problems.Status(StatusCodes.Status400BadRequest, "The reason is too long", "reason: at most 1000 characters.");
        if (string.IsNullOrWhiteSpace(request.Path)) return Problems.Status(StatusCodes.Status400BadRequest, "Which value?", "path: required, e.g. report.reporter.email");
        if (queries.GetReport(id) is not { } stored) return Problems.NotFound("report");
        var root = Document(stored);
        if (!masker.IsPersonal(root, request.Path))
            return Problems.Status(StatusCodes.Status400BadRequest, "Nothing to reveal there", $"path: \"{request.Path}\" is not a masked value of {id}.");
        var value = PiiMasker.At(root, request.Path)?.DeepClone();
        var entry = audit.Append(me.Name, "reveal", stored.ReportId, stored.CampaignId, new { path = request.Path, reason });
        return TypedResults.Ok(new Revealed(request.Path, value, entry.Seq));
    }

    public sealed record DecisionRequest(string? Decision, string? Note);

    internal static IResult Decide(string id, DecisionRequest request, HttpContext http, ReviewerDirectory directory, ReviewDesk desk)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        if (InvalidDecision(request) is { } invalid) return invalid;
        if (desk.Decide(me, id, request.Decision!, Note(request)) is not { } outcome) return Problems.NotFound("report");
        return outcome.Status switch
        {
            DecisionOutcome.Counted => TypedResults.Created($"/review/api/reports/{Uri.EscapeDataString(id)}", outcome),
            DecisionOutcome.AwaitingSecond => TypedResults.Accepted($"/review/api/reports/{Uri.EscapeDataString(id)}", outcome),
            _ => Refusal(outcome.Message, outcome.Pending is null ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict),
        };
    }

    public sealed record CampaignDecisionResponse(string CampaignId, int Counted, int Pending, int Skipped, IReadOnlyList<DecisionOutcome> Outcomes);

    internal static IResult DecideCampaign(string id, DecisionRequest request, HttpContext http, ReviewerDirectory directory, ReviewDesk desk)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        if (InvalidDecision(request) is { } invalid) return invalid;
        if (desk.DecideCampaign(me, id, request.Decision!, Note(request)) is not { } result) return Problems.NotFound("campaign");
        if (result.Refusal is { } refusal) return Refusal(refusal, StatusCodes.Status403Forbidden);
        var o = result.Outcomes;
        return TypedResults.Ok(new CampaignDecisionResponse(id, o.Count(x => x.Status == DecisionOutcome.Counted), o.Count(x => x.Status == DecisionOutcome.AwaitingSecond),
            o.Count(x => x.Status is DecisionOutcome.Skipped or DecisionOutcome.Refused), o));
    }

    internal static Results<Ok<JsonObject>, ProblemHttpResult> GetCampaign(string id, HttpContext http, ReviewerDirectory directory, ReportQueries queries,
        AuditLog audit, PiiMasker masker)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        if (queries.GetCampaign(id) is not { } campaign) return Problems.NotFound("campaign");
        var pending = audit.OpenPending(campaign.Members.Select(m => m.ReportId));
        var members = new JsonArray();
        var created = new List<(string ReportId, DateTimeOffset At)>();
        foreach (var m in campaign.Members)
        {
            var stored = queries.GetReport(m.ReportId);
            var report = stored is null ? null : JsonNode.Parse(stored.ReportJson);
            var reporter = report?["reporter"];
            var createdAt = reporter?["createdAt"]?.GetValue<DateTimeOffset>();
            if (createdAt is { } c) created.Add((m.ReportId, c));
            members.Add(new JsonObject
            {
                ["reportId"] = m.ReportId, ["receivedAt"] = m.ReceivedAt, ["reporterId"] = m.ReporterId, ["subject"] = m.Subject,
                ["score"] = m.Score, ["level"] = m.Level, ["flagged"] = m.Flagged, ["category"] = stored?.Category,
                ["decision"] = stored?.Decisions.LastOrDefault()?.Decision, ["pendingBy"] = pending.GetValueOrDefault(m.ReportId)?.Reviewer,
                ["reporterCreatedAt"] = createdAt, ["reporterName"] = reporter?["displayName"]?.DeepClone(),
                ["ip"] = report?["reporterSession"]?["ip"]?.DeepClone(), ["deviceId"] = report?["reporterSession"]?["deviceId"]?.DeepClone(),
                ["channel"] = report?["channel"]?.DeepClone(),
            });
        }
        var edges = Node(campaign.LinksBetween.Select(l => new { from = l.ReportId, to = l.LinkedReportId, kind = l.Kind, detail = l.Detail }))!.AsArray();
        // Signup cohort: reporter accounts made within a day of each other (the seed's fake accounts were made together).
        created.Sort((a, b) => a.At.CompareTo(b.At));
        for (var i = 0; i < created.Count; i++)
            for (var j = i + 1; j < created.Count && created[j].At - created[i].At <= TimeSpan.FromHours(24); j++)
                edges.Add(new JsonObject { ["from"] = created[j].ReportId, ["to"] = created[i].ReportId, ["kind"] = "signupCohort",
                    ["detail"] = $"reporter accounts created {(created[j].At - created[i].At).TotalHours:0.#} hours apart" });
        var root = new JsonObject
        {
            ["campaignId"] = campaign.CampaignId, ["createdAt"] = campaign.CreatedAt, ["reports"] = campaign.Reports, ["reporters"] = campaign.Reporters,
            ["links"] = Node(campaign.Links), ["members"] = members, ["edges"] = edges,
        };
        masker.Mask(root);
        audit.Append(me.Name, "view-campaign", null, campaign.CampaignId, new { members = campaign.Members.Count });
        return TypedResults.Ok(root);
    }

    internal static Results<Ok<IReadOnlyList<AuditEntry>>, ProblemHttpResult> ReadAudit(HttpContext http, ReviewerDirectory directory, AuditLog audit, string? reportId, long? after)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        if (string.IsNullOrEmpty(reportId) && !me.IsLead)
            return Problems.Status(StatusCodes.Status403Forbidden, "Leads only", "The whole audit log is for leads; ask for one report's entries with ?reportId=.");
        return TypedResults.Ok(audit.Read(string.IsNullOrEmpty(reportId) ? null : reportId, after ?? 0));
    }

    internal static Results<Ok<AuditVerification>, ProblemHttpResult> VerifyAudit(HttpContext http, ReviewerDirectory directory, AuditLog audit)
    {
        if (directory.Current(http) is not { } me) return NoLongerAReviewer();
        if (!me.IsLead) return Problems.Status(StatusCodes.Status403Forbidden, "Leads only", "Verifying the audit chain is for leads (or run: evidencecheck audit-verify).");
        return TypedResults.Ok(audit.Verify());
    }

    internal static ProblemHttpResult AuditIsAppendOnly(HttpContext http)
    {
        http.Response.Headers.Allow = "GET";
        return Problems.Status(StatusCodes.Status405MethodNotAllowed, "The audit log is append-only",
            "Audit entries cannot be created, changed or deleted through the API; they are written by the server as reviewers work, and each is hash-chained to the one before.");
    }

    /// <summary>The report, its latest score and its evidence facts as one document: what is masked and what paths name.</summary>
    private static JsonObject Document(StoredReport stored) => new()
    {
        ["report"] = JsonNode.Parse(stored.ReportJson),
        ["score"] = Node(stored.Score),
        ["evidence"] = Node(stored.Evidence),
    };

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web);

    private static string? Note(DecisionRequest r) => string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim();

    private static ProblemHttpResult? InvalidDecision(DecisionRequest request)
    {
        if (request.Decision is null || Array.IndexOf(ReportQueries.Decisions, request.Decision) < 0)
            return Problems.Status(StatusCodes.Status400BadRequest, "The decision is not acceptable", $"decision: must be one of {string.Join(" | ", ReportQueries.Decisions)}");
        if (request.Note is { Length: > 4000 }) return Problems.Status(StatusCodes.Status400BadRequest, "The decision is not acceptable", "note: longer than 4000 characters");
        return null;
    }

    private static ProblemHttpResult Refusal(string message, int status) =>
        Problems.Status(status, status == StatusCodes.Status409Conflict ? "A second, different reviewer must agree" : "You may not decide this", message);

    private static ProblemHttpResult NoLongerAReviewer() =>
        Problems.Status(StatusCodes.Status401Unauthorized, "Not a reviewer", "Your account is no longer configured; sign in again.");
}
