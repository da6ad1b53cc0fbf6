namespace EvidenceCheck.Service.Reviewer;

/// <summary>
/// Documented development reviewers, so a new user can sign in and judge the samples at once. Used only when
/// Reviewer:UseSampleAccounts is true (set by `dotnet run`'s launch profile) and no accounts are configured.
/// Passwords are NAME-reviews (alice-reviews, ...). Never enable them on a server others can reach.
/// </summary>
public static class SampleReviewers
{
    public static Dictionary<string, ReviewerAccount> Accounts() => new()
    {
        ["alice"] = new() { Role = "reviewer", PasswordHash = "pbkdf2-sha256$100000$HPifiIID5wjw5A537Ln15Q==$0GJ25jv7KqlRkScDGPYaCSGTQuPnN57MGgY6lWhDgyQ=" },
        ["bob"] = new() { Role = "reviewer", PasswordHash = "pbkdf2-sha256$100000$Agy7nf/vIMNCxL5miE31hg==$mwuiJvAyFBMJhZqlumLrNf/jGkAGWZGcr0ZMLYOs5lQ=" },
        ["carol"] = new() { Role = "lead", PasswordHash = "pbkdf2-sha256$100000$3oubMwS/2UvHouOUu3tfHg==$bfFjeORUjwRAcMNw6iP4nREzbES9ECuQ8nuWzbnngiI=" },
        // The insider of the samples: his platform account filed r-seed-04 through the internal channel, so he may not decide it.
        ["dave"] = new()
        {
            Role = "reviewer", PasswordHash = "pbkdf2-sha256$100000$h/ygeRpaIpTtYyK8igt8dA==$pD/3weO1HePrJwAzpYTttzgIX4p5LGBnm/wFtW0YiBQ=",
            AccountIds = ["u-liaison"], DeviceIds = ["d-corp-7"], Ips = ["10.8.0.0/16"],
        },
    };
}
