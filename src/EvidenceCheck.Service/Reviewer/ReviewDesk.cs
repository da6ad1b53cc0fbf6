using System.Net;
using System.Text.Json.Nodes;
using EvidenceCheck.Storage;

namespace EvidenceCheck.Service.Reviewer;

/// <summary>What happened to one decision: it counts, it waits for a second reviewer, or it was refused.</summary>
public sealed record DecisionOutcome(string ReportId, string Status, string Decision, string Message, DecisionEntry? Entry = null, PendingDecision? Pending = null)
{
    public const string Counted = "counted", AwaitingSecond = "pending", Refused = "refused", Skipped = "skipped";
}

/// <summary>A signed-in reviewer, with what ties them to the platform's accounts.</summary>
public sealed record ReviewerIdentity(string Name, string Role, ReviewerAccount Account)
{
    public bool IsLead => Role == "lead";
}

/// <summary>
/// The decision rules, enforced here and nowhere else (the page only shows what the server says):
/// a reviewer never decides a report linked to their own platform accounts, and upholding ("genuine")
/// a report the scorer rated high counts only when a second, different reviewer agrees. Every decision,
/// pending or refused, is written to the audit log.
/// </summary>
public sealed class ReviewDesk(ReportQueries queries, AuditLog audit)
{
    /// <summary>Why the report is linked to the reviewer (reporter or accused is theirs), or null when it is not.</summary>
    public static string? LinkTo(ReviewerAccount me, JsonNode report)
    {
        string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        IEnumerable<string> Strs(JsonNode? n) => n is JsonArray a ? a.Select(Str).OfType<string>() : [];
        var reporter = report["reporter"];
        var session = report["reporterSession"];
        if (Str(reporter?["accountId"]) is { } rid && me.AccountIds.Contains(rid, StringComparer.Ordinal))
            return $"it was filed by the platform account {rid}, which is yours";
        var devices = Strs(reporter?["deviceIds"]).Append(Str(session?["deviceId"])).OfType<string>();
        if (devices.FirstOrDefault(d => me.DeviceIds.Contains(d, StringComparer.Ordinal)) is { } device)
            return $"it was filed from the device {device}, which is yours";
        foreach (var ip in new[] { Str(session?["ip"]), Str(reporter?["signupIp"]) }.OfType<string>())
            if (InRanges(me.Ips, ip) is { } range)
                return $"it was filed from {ip}, inside your network {range}";
        foreach (var accused in (report["subject"]?["accounts"] as JsonArray ?? []).OfType<JsonNode>())
            if (Str(accused["accountId"]) is { } aid && me.AccountIds.Contains(aid, StringComparer.Ordinal))
                return $"it accuses the platform account {aid}, which is yours";
        return null;
    }

    private static string? InRanges(IEnumerable<string> ranges, string ip)
    {
        if (!IPAddress.TryParse(ip, out var address)) return null;
        foreach (var range in ranges)
        {
            var cidr = range.Contains('/') ? range : range + (range.Contains(':') ? "/128" : "/32");
            if (IPNetwork.TryParse(cidr, out var network) && network.Contains(address)) return range;
        }
        return null;
    }

    /// <summary>Applies one reviewer's decision to one report under the rules; null when the report is unknown.</summary>
    public DecisionOutcome? Decide(ReviewerIdentity me, string reportId, string decision, string? note, string? campaignId = null)
    {
        if (queries.GetReport(reportId) is not { } stored) return null;
        var report = JsonNode.Parse(stored.ReportJson)!;
        if (LinkTo(me.Account, report) is { } link)
        {
            var message = $"You cannot decide on {reportId}: {link}. Another reviewer must decide it.";
            audit.Append(me.Name, "decision-refused", reportId, campaignId, new { decision, rule = "linked-report", reason = link });
            return new DecisionOutcome(reportId, DecisionOutcome.Refused, decision, message);
        }
        var pending = audit.OpenPending(reportId);
        var high = stored.Score?.Level == "high";
        if (decision == "genuine" && high)
        {
            if (pending is null)
            {
                var proposed = audit.AddPending(reportId, decision, note, me.Name);
                audit.Append(me.Name, "decision-pending", reportId, campaignId, new { decision, note, score = stored.Score?.Score, rule = "two-person" });
                return new DecisionOutcome(reportId, DecisionOutcome.AwaitingSecond, decision,
                    $"Recorded as pending, not counted: the scorer rated {reportId} high, so upholding it needs a second, different reviewer's agreement.", Pending: proposed);
            }
            if (pending.Reviewer == me.Name)
            {
                audit.Append(me.Name, "decision-refused", reportId, campaignId, new { decision, rule = "two-person", reason = "same reviewer" });
                return new DecisionOutcome(reportId, DecisionOutcome.Refused, decision,
                    $"You already proposed \"genuine\" for {reportId}; a different reviewer must agree before it counts.", Pending: pending);
            }
            var agreed = queries.AddDecision(reportId, decision, $"[two-person: proposed by {pending.Reviewer}, agreed by {me.Name}] {note}".TrimEnd(), me.Name,
                new DecisionAudit(audit, me.Name, campaignId, new { decision, note, score = stored.Score?.Score, proposedBy = pending.Reviewer, agreedBy = me.Name }))!;
            audit.ClosePending(pending.Id, me.Name, "agreed");
            return new DecisionOutcome(reportId, DecisionOutcome.Counted, decision, $"Counted: {pending.Reviewer} and {me.Name} both upheld {reportId}.", agreed);
        }
        var entry = queries.AddDecision(reportId, decision, note, me.Name,
            new DecisionAudit(audit, me.Name, campaignId, new { decision, note, score = stored.Score?.Score, supersedes = pending?.Reviewer }))!;
        if (pending is not null) audit.ClosePending(pending.Id, me.Name, "superseded");
        return new DecisionOutcome(reportId, DecisionOutcome.Counted, decision, $"Counted: {reportId} marked {decision}.", entry);
    }

    /// <summary>
    /// One decision for every undecided member of a campaign. Refused whole when any member is linked to the
    /// reviewer (an insider must not clear their own campaign by deciding its neighbours).
    /// </summary>
    public (IReadOnlyList<DecisionOutcome> Outcomes, string? Refusal)? DecideCampaign(ReviewerIdentity me, string campaignId, string decision, string? note)
    {
        if (queries.GetCampaign(campaignId) is not { } campaign) return null;
        var members = campaign.Members.Select(m => queries.GetReport(m.ReportId)).OfType<StoredReport>().ToArray();
        foreach (var m in members)
            if (LinkTo(me.Account, JsonNode.Parse(m.ReportJson)!) is { } link)
            {
                audit.Append(me.Name, "decision-refused", m.ReportId, campaign.CampaignId, new { decision, scope = "campaign", rule = "linked-report", reason = link });
                return ([], $"You cannot decide on campaign {campaign.CampaignId}: its member {m.ReportId} is linked to you ({link}). Another reviewer must decide it.");
            }
        var outcomes = new List<DecisionOutcome>();
        foreach (var m in members.OrderByDescending(m => m.Score?.Score ?? 0))
        {
            if (m.Decisions.Count > 0)
            {
                outcomes.Add(new DecisionOutcome(m.ReportId, DecisionOutcome.Skipped, decision, $"{m.ReportId} already has a decision ({m.Decisions[^1].Decision}); left as it is."));
                continue;
            }
            outcomes.Add(Decide(me, m.ReportId, decision, note, campaign.CampaignId)!);
        }
        return (outcomes, null);
    }
}
