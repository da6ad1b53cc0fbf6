using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using EvidenceCheck.Storage;
using Microsoft.Data.Sqlite;

namespace EvidenceCheck.Service.Tests;

/// <summary>
/// The service as a real process, killed (SIGKILL) while requests are in flight: every report it
/// answered must be in the store afterwards. This checks that answers wait for the commit; it
/// cannot simulate a power loss (that is what the log flush before each answer is for).
/// </summary>
public class CrashDurabilityTests
{
    [Fact]
    public async Task KilledMidLoad_EveryAnsweredReportIsStored()
    {
        var data = Path.Combine(Path.GetTempPath(), "ec-crash-" + Guid.NewGuid().ToString("n"));
        var port = FreePort();
        using var service = Start(data, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.ScoringKey);
            await WaitHealthy(http, service);

            var answered = new ConcurrentBag<string>();
            var next = -1;
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, 16).Select(async _ =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var id = $"r-crash-{Interlocked.Increment(ref next)}";
                    try
                    {
                        using var response = await http.PostAsync("/v1/score", Http.Json(Some.Report(id)), stop.Token);
                        if (response.StatusCode == HttpStatusCode.OK) answered.Add(id);
                    }
                    catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { return; }
                }
            }).ToArray();

            var deadline = Stopwatch.StartNew();
            while (answered.Count < 150)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(60) && !service.HasExited, $"only {answered.Count} answers in 60 s");
                await Task.Delay(5);
            }
            service.Kill(entireProcessTree: true);
            await service.WaitForExitAsync();
            var acknowledged = answered.ToArray();
            stop.Cancel();
            await Task.WhenAll(senders);

            SqliteConnection.ClearAllPools();
            var queries = new ReportQueries(new StorageOptions { DataDirectory = data }, TimeProvider.System);
            Assert.True(next > acknowledged.Length, "the kill should have caught requests in flight");
            Assert.All(acknowledged, id => Assert.NotNull(queries.GetReport(id)?.Score));
        }
        finally
        {
            if (!service.HasExited) service.Kill(entireProcessTree: true);
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task ASecondService_OnOneDataFolder_IsRefusedAtStart_AndAfterAKillTheStoreOpensAgain()
    {
        var data = Path.Combine(Path.GetTempPath(), "ec-twice-" + Guid.NewGuid().ToString("n"));
        var (port, otherPort) = (FreePort(), FreePort());
        var first = Start(data, port);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Add("X-Api-Key", ServiceFactory.ScoringKey);
            await WaitHealthy(http, first);

            var output = new ConcurrentQueue<string>();
            using (var second = Start(data, otherPort, output))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                await second.WaitForExitAsync(timeout.Token);
                Assert.Equal(1, second.ExitCode);
            }
            Assert.Contains(output, line => line.Contains("already open for writing", StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.OK, (await http.PostAsync("/v1/score", Http.Json(Some.Report("r-twice-1")))).StatusCode);

            // The lock is the operating system's: a killed writer does not leave the store locked.
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
            first.Dispose();
            first = Start(data, port);
            await WaitHealthy(http, first);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        }
        finally
        {
            if (!first.HasExited) first.Kill(entireProcessTree: true);
            first.Dispose();
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    private static Process Start(string data, int port, ConcurrentQueue<string>? output = null)
    {
        var info = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "EvidenceCheck.Service.dll")])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Storage__DataDirectory"] = data;
        info.Environment["Service__ScoringKeys__crash"] = ServiceFactory.ScoringKey;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the service");
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) output?.Enqueue(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) output?.Enqueue(line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthy(HttpClient http, Process service)
    {
        for (var i = 0; i < 600; i++)
        {
            Assert.False(service.HasExited, "the service exited at start");
            try { if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        Assert.Fail("the service did not become healthy in 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
