using System.Net.Http.Json;
using System.Text;
using EvidenceCheck.Core.Contract;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Service.Tests;

/// <summary>The real app over a real SQLite file in a temporary folder, with one key per role.</summary>
public sealed class ServiceFactory : WebApplicationFactory<Program>
{
    public const string ScoringKey = "test-scoring-key-0123456789", ReviewerKey = "test-reviewer-key-0123456789";
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "ec-service-" + Guid.NewGuid().ToString("n"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        builder.UseSetting("Service:ScoringKeys:queue", ScoringKey);
        builder.UseSetting("Service:ReviewerKeys:alice", ReviewerKey);
        builder.UseSetting("Service:MaxReportBytes", "65536");
        builder.UseSetting("Service:MaxBatchBytes", "1048576");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
    }

    /// <summary>More settings for one test, applied last (before the first client is made).</summary>
    public Dictionary<string, string> Settings { get; } = [];

    public HttpClient Scoring() => Client(ScoringKey);
    public HttpClient Reviewer() => Client(ReviewerKey);

    private HttpClient Client(string key)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

public static class Http
{
    public static StringContent Json(string text, string mediaType = "application/json") => new(text, Encoding.UTF8, mediaType);
    public static StringContent Json(Report report) => Json(Some.Json(report));
    public static Task<HttpResponseMessage> Score(this HttpClient client, Report report) => client.PostAsync("/v1/score", Json(report));
    public static Task<T?> Read<T>(this HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>(System.Text.Json.JsonSerializerOptions.Web);
}
