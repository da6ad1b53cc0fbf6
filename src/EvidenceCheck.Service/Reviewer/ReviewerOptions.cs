using System.Net;
using EvidenceCheck.Storage;

namespace EvidenceCheck.Service.Reviewer;

/// <summary>The reviewer workspace's settings, bound from the "Reviewer" section and validated at start.</summary>
public sealed class ReviewerOptions
{
    /// <summary>Reviewer accounts by sign-in name. Default none: the page then refuses every sign-in.</summary>
    public Dictionary<string, ReviewerAccount> Accounts { get; set; } = [];
    /// <summary>
    /// A JSON Lines file of reports scored into an empty store at start, so a new user has something to judge.
    /// Default none; `dotnet run` (Properties/launchSettings.json) sets samples/reports.jsonl. A relative path is looked up
    /// from the working folder, then from the app's folder upwards.
    /// </summary>
    public string? SampleReports { get; set; }
    /// <summary>
    /// Use the documented sample reviewers (<see cref="SampleReviewers"/>) when no accounts are configured.
    /// Default false; `dotnet run` (Properties/launchSettings.json) turns it on for a local try-out.
    /// </summary>
    public bool UseSampleAccounts { get; set; }
    /// <summary>How long a sign-in lasts without activity, in minutes. Default 480 (a working day).</summary>
    public int SessionMinutes { get; set; } = 480;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, account) in Accounts)
        {
            if (string.IsNullOrWhiteSpace(name) || name.Length > 64) yield return $"Reviewer name \"{name}\" must be 1 to 64 characters.";
            if (account.Role is not ("reviewer" or "lead")) yield return $"Reviewer \"{name}\": Role must be reviewer or lead, not \"{account.Role}\".";
            if (!ReviewerPassword.IsWellFormed(account.PasswordHash))
                yield return $"Reviewer \"{name}\": PasswordHash must look like pbkdf2-sha256$ITERATIONS$SALT$HASH (make one with: evidencecheck hash-password).";
            foreach (var ip in account.Ips)
                if (!IPNetwork.TryParse(ip.Contains('/') ? ip : ip + (ip.Contains(':') ? "/128" : "/32"), out _))
                    yield return $"Reviewer \"{name}\": \"{ip}\" is not an IP address or CIDR range.";
        }
        if (SessionMinutes is < 5 or > 24 * 60) yield return "SessionMinutes must be between 5 and 1440.";
    }

    public ReviewerOptions Validated()
    {
        var problems = Problems().ToArray();
        if (problems.Length > 0) throw new InvalidOperationException("Invalid reviewer options: " + string.Join(" ", problems));
        return this;
    }
}

/// <summary>
/// One reviewer. The account ids, devices and addresses are the reviewer's own on the platform: a report filed
/// from any of them (or against any of them) is one they may not decide — the seed's insider filed reports himself.
/// </summary>
public sealed class ReviewerAccount
{
    /// <summary>reviewer | lead. Leads also read the whole audit log and its verification.</summary>
    public string Role { get; set; } = "reviewer";
    public string PasswordHash { get; set; } = "";
    public List<string> AccountIds { get; set; } = [];
    public List<string> DeviceIds { get; set; } = [];
    /// <summary>Addresses or CIDR ranges (e.g. the reviewer's office network).</summary>
    public List<string> Ips { get; set; } = [];
}
