using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace EvidenceCheck.Service;

public enum ApiRole { Scoring, Reviewer }

/// <summary>The configured API keys, by role. A caller is named by its key's name (reviewers' decisions carry it).</summary>
public sealed class ApiKeyRing
{
    public const string Header = "X-Api-Key";
    private readonly Dictionary<string, (string Name, ApiRole Role)> _byHash = new(StringComparer.Ordinal);

    public ApiKeyRing(IReadOnlyDictionary<string, string> scoring, IReadOnlyDictionary<string, string> reviewers)
    {
        foreach (var (name, key) in scoring) _byHash[Hash(key)] = (name, ApiRole.Scoring);
        foreach (var (name, key) in reviewers) _byHash[Hash(key)] = (name, ApiRole.Reviewer);
    }

    public (string Name, ApiRole Role)? Find(string? key) =>
        key is { Length: > 0 } && _byHash.TryGetValue(Hash(key), out var who) ? who : null;

    // Compared by hash so lookups do not leak key prefixes through timing.
    private static string Hash(string key) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>
    /// The keys to use: the configured ones, or (none configured, development keys allowed) the ones kept in
    /// the data folder, generated and printed at first start.
    /// </summary>
    public static ApiKeyRing FromOptions(ServiceOptions options, string dataDirectory, ILogger logger)
    {
        if (options.ScoringKeys.Count > 0 || options.ReviewerKeys.Count > 0 || !options.GenerateDevelopmentKeys)
            return new ApiKeyRing(options.ScoringKeys, options.ReviewerKeys);
        var path = Path.Combine(dataDirectory, "dev-keys.json");
        DevelopmentKeys keys;
        if (File.Exists(path))
        {
            keys = JsonSerializer.Deserialize<DevelopmentKeys>(File.ReadAllText(path))!;
            logger.LogWarning("No API keys configured: using the development keys in {Path}.", path);
        }
        else
        {
            keys = new DevelopmentKeys("ec_score_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), "ec_review_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            Directory.CreateDirectory(dataDirectory);
            File.WriteAllText(path, JsonSerializer.Serialize(keys));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            logger.LogWarning("No API keys configured: generated development keys (kept in {Path}). Scoring key: {ScoringKey}  Reviewer key: {ReviewerKey}  Send one as the {Header} header.",
                path, keys.Scoring, keys.Reviewer, Header);
        }
        return new ApiKeyRing(new Dictionary<string, string> { ["development-client"] = keys.Scoring }, new Dictionary<string, string> { ["development-reviewer"] = keys.Reviewer });
    }

    private sealed record DevelopmentKeys(string Scoring, string Reviewer);
}

/// <summary>Lets a request through only with a key of the endpoint group's role: scoring clients and reviewers are kept apart.</summary>
public sealed class RequireApiKey(ApiRole role) : IEndpointFilter
{
    public const string CallerItem = "EvidenceCheck.Caller";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ring = http.RequestServices.GetRequiredService<ApiKeyRing>();
        var key = http.Request.Headers[ApiKeyRing.Header].ToString();
        if (key.Length == 0 && http.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            key = auth[7..].Trim();
        if (ring.Find(key) is not { } caller)
            return Problems.Status(StatusCodes.Status401Unauthorized, "An API key is required",
                $"Send your key in the {ApiKeyRing.Header} header (or Authorization: Bearer).");
        if (caller.Role != role)
            return Problems.Status(StatusCodes.Status403Forbidden, "This key cannot use this endpoint",
                role == ApiRole.Reviewer ? "Reviewer endpoints need a reviewer key; scoring keys may only score." : "Scoring endpoints need a scoring key; reviewer keys may not score.");
        http.Items[CallerItem] = caller.Name;
        return await next(context);
    }
}
