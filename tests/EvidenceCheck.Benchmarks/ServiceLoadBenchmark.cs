using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using EvidenceCheck.Core.Campaigns;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using EvidenceCheck.Storage;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// Load benchmark of the scoring service (suite "service"): pre-fills a store (ordinary subjects plus hot
/// ones with thousands of reports each), starts the real service as a child process on 127.0.0.1, and
/// drives it with single-report and batch requests, bounded in count and time. Reports scores/s with
/// p50/p99 latency, batch reports/s, and the service's memory. Every answer it counts is durable: the
/// service answers only after its group commit.
/// <code>
/// dotnet run -c Release --project tests/EvidenceCheck.Benchmarks -- service --reports 100000 --seconds 15
/// </code>
/// Options: --reports N (store size, default 100,000) --hot N (hot subjects, default 3) --hot-size N (reports
/// each, default 10,000) --seconds N (per phase, default 20) --concurrency N (default 32) --batch-size N
/// (default 500) --batch-concurrency N (default 4) --data DIR (reuse a pre-filled store) --port N (default 5181) --warmup N
/// (seconds of single requests before measuring, default 10: the service's JIT settles first) --gen0 HEX (the service's
/// DOTNET_GCgen0size, default as in its launch profile; "default" leaves the runtime's own).
/// </summary>
public static class ServiceLoadBenchmark
{
    private const string Key = "benchmark-scoring-key-0123456789";

    private sealed record Options(long Reports, int Hot, int HotSize, int Seconds, int Concurrency, int BatchSize, int BatchConcurrency, string? Data, int Port, int Warmup, string Gen0);

    public static async Task<int> Run(string[] args)
    {
        Options o;
        try { o = Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"service benchmark: {e.Message}\nOptions: --reports N --hot N --hot-size N --seconds N --concurrency N --batch-size N --batch-concurrency N --data DIR --port N --warmup N --gen0 HEX|default");
            return 2;
        }
        var data = o.Data ?? Path.Combine(Path.GetTempPath(), $"ec-load-{o.Reports}");
        var storage = new StorageOptions { DataDirectory = data };
        Console.WriteLine($"EvidenceCheck service load benchmark — {Environment.ProcessorCount} cores, store {storage.DatabasePath}");

        await Prefill(storage, o);
        using var service = StartService(data, o.Port, o.Gen0);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency + o.BatchConcurrency, UseProxy = false })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{o.Port}"), Timeout = TimeSpan.FromSeconds(60),
            };
            http.DefaultRequestHeaders.Add("X-Api-Key", Key);
            await WaitHealthy(http, service);

            var run = DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
            Console.WriteLine($"warm-up ({o.Warmup} s) …  service GC gen0 budget: {o.Gen0}");
            if (o.Warmup > 0) await SinglePhase(http, o with { Seconds = o.Warmup }, "warm" + run);
            var cpu = ServiceCpu(service);
            var single = await SinglePhase(http, o, "one" + run);
            var singleCpu = (ServiceCpu(service) - cpu).TotalMicroseconds / Math.Max(1, single.Count);
            Console.WriteLine($"single : {single.PerSecond,8:N0} scores/s   p50 {single.P50:0.0} ms   p99 {single.P99:0.0} ms   ({single.Count:N0} requests, {single.Errors} errors, {o.Concurrency} connections, {single.Seconds:0.0} s)");
            Console.WriteLine($"         service CPU {singleCpu:N0} µs per report");
            Console.WriteLine($"         writer since start: {await Writer(http)}");
            var batch = await BatchPhase(http, o, "batch" + run, () => cpu = ServiceCpu(service));
            var batchCpu = (ServiceCpu(service) - cpu).TotalMicroseconds / Math.Max(1, batch.Count);
            Console.WriteLine($"batch  : {batch.PerSecond,8:N0} reports/s ({batch.Count:N0} reports in batches of {o.BatchSize}, {batch.Errors} errors, {o.BatchConcurrency} connections, {batch.Seconds:0.0} s)");
            Console.WriteLine($"         service CPU {batchCpu:N0} µs per report");
            Console.WriteLine($"         writer since start: {await Writer(http)}");
            var (rss, peak) = Memory(service);
            Console.WriteLine($"memory : service RSS {rss / 1048576.0:N0} MB (peak {peak / 1048576.0:N0} MB) with {o.Reports:N0}+ stored reports");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT reports={o.Reports} hot={o.Hot}x{o.HotSize} single_per_s={single.PerSecond:0} p50_ms={single.P50:0.00} p99_ms={single.P99:0.00} batch_per_s={batch.PerSecond:0} single_cpu_us={singleCpu:0} batch_cpu_us={batchCpu:0} rss_mb={rss / 1048576.0:0} peak_mb={peak / 1048576.0:0}"));
            return single.Errors + batch.Errors == 0 ? 0 : 1;
        }
        finally
        {
            if (!service.HasExited) { service.Kill(); service.WaitForExit(10_000); }
        }
    }

    /// <summary>Brings the store to the requested size, writing through the same ledger the service uses.</summary>
    private static async Task Prefill(StorageOptions storage, Options o)
    {
        var hotTotal = (long)o.Hot * o.HotSize;
        using (var probe = new ReportLedger(storage, NewScorer(), new CampaignOptions())) { }
        var existing = new ReportQueries(storage, TimeProvider.System).CountReports();
        if (existing >= o.Reports) { Console.WriteLine($"store already holds {existing:N0} reports"); return; }
        Console.WriteLine($"pre-filling {o.Reports - existing:N0} reports ({o.Hot} hot subjects × {o.HotSize:N0}) …");
        var watch = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        using var ledger = new ReportLedger(storage, NewScorer(), new CampaignOptions());
        const int chunk = 1000;
        var every = Math.Max(1, o.Reports / Math.Max(1, hotTotal));
        var inFlight = new List<Task>();
        for (var start = existing; start < o.Reports; start += chunk)
        {
            var end = Math.Min(o.Reports, start + chunk);
            var reports = new List<Report>(chunk);
            // Hot subjects are spread through the fill so that their counters grow with the store, as in life.
            for (var i = start; i < end; i++)
                reports.Add(ServiceLoadData.Make("fill", i, hotTotal > 0 && i % every == 0 ? (int)(i / every % o.Hot) : null));
            inFlight.Add(ledger.SubmitManyAsync(reports));
            if (inFlight.Count >= 3) { await inFlight[0]; inFlight.RemoveAt(0); }
            if ((start / chunk) % 50 == 0) Console.Write($"\r  {start:N0} ({start / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0}/s)   ");
        }
        await Task.WhenAll(inFlight);
        if (Environment.GetEnvironmentVariable("EC_THREAD_CPU") == "1") PrintThreadCpu();
        var cpuPerReport = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / (o.Reports - existing);
        Console.WriteLine($"\r  {o.Reports:N0} reports in {watch.Elapsed.TotalSeconds:N0} s ({(o.Reports - existing) / watch.Elapsed.TotalSeconds:N0}/s, {cpuPerReport:N0} µs CPU per report)");
    }

    /// <summary>Diagnostics: CPU seconds per thread name (Linux), to see where a run's time went.</summary>
    private static void PrintThreadCpu()
    {
        foreach (var g in Directory.GetDirectories("/proc/self/task").Select(t =>
                 {
                     var stat = File.ReadAllText(Path.Combine(t, "stat"));
                     var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                     return (Name: File.ReadAllText(Path.Combine(t, "comm")).Trim(), Ticks: long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture));
                 }).GroupBy(t => t.Name).OrderByDescending(g => g.Sum(t => t.Ticks)))
            Console.WriteLine($"  thread {g.Key,-20} {g.Sum(t => t.Ticks) / 100.0:N1} s CPU");
    }

    private static ReportScorer NewScorer() => new(DetectorCatalog.Discover(), new ScoringOptions(), TimeProvider.System);

    /// <summary>The GC gen0 budget the service's launch profile sets (src/EvidenceCheck.Service/Properties/launchSettings.json).</summary>
    private const string LaunchProfileGen0 = "0x2000000";

    /// <summary>CPU time the service process has used so far (user and system, all threads).</summary>
    private static TimeSpan ServiceCpu(Process service)
    {
        service.Refresh();
        return service.TotalProcessorTime;
    }

    private static Process StartService(string data, int port, string gen0)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "EvidenceCheck.Service.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = data,
        };
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Storage__DataDirectory"] = data;
        info.Environment["Service__ScoringKeys__benchmark"] = Key;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        if (gen0 != "default") info.Environment["DOTNET_GCgen0size"] = gen0;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the service");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) Console.Error.WriteLine("service: " + line); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitHealthy(HttpClient http, Process service)
    {
        for (var i = 0; i < 300; i++)
        {
            if (service.HasExited) throw new InvalidOperationException($"the service exited with code {service.ExitCode}");
            try { if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return; }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("the service did not become healthy in 30 s");
    }

    /// <summary>The service's group-commit figures, from /healthz.</summary>
    private static async Task<string> Writer(HttpClient http)
    {
        var health = Newtonsoft.Json.Linq.JObject.Parse(await http.GetStringAsync("/healthz"));
        return health["writer"] is { } w
            ? $"{w["commits"]} commits, {w["reportsPerCommit"]} reports each, {w["meanCommitMilliseconds"]} ms per commit; {w["flushes"]} log flushes, {w["meanFlushMilliseconds"]} ms each"
            : "(not reported)";
    }

    private sealed record PhaseResult(long Count, int Errors, double Seconds, double P50, double P99)
    {
        public double PerSecond => Count / Seconds;
    }

    private static async Task<PhaseResult> SinglePhase(HttpClient http, Options o, string prefix)
    {
        // Bodies are made before the clock starts; 20% of reports go to hot subjects.
        // Enough bodies for 8,000 requests/s over the phase (the target is 5,000); the phase also ends on time.
        var max = Math.Min(1_000_000, (long)o.Seconds * 8_000);
        var bodies = new byte[max][];
        Parallel.For(0, max, i => bodies[i] = Encoding.UTF8.GetBytes(ContractJson.Serialize(ServiceLoadData.Make(prefix, i, i % 5 == 0 && o.Hot > 0 ? (int)(i / 5 % o.Hot) : null))));
        var next = -1L;
        var errors = 0;
        var deadline = Stopwatch.StartNew();
        var latencies = new List<long>[o.Concurrency];
        var workers = Enumerable.Range(0, o.Concurrency).Select(async w =>
        {
            var mine = latencies[w] = new List<long>(1 << 16);
            long i;
            while (deadline.Elapsed.TotalSeconds < o.Seconds && (i = Interlocked.Increment(ref next)) < max)
            {
                var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                var started = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/v1/score", content);
                await response.Content.ReadAsByteArrayAsync();
                mine.Add(Stopwatch.GetTimestamp() - started);
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        var seconds = deadline.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        Array.Sort(all);
        double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new PhaseResult(all.Length, errors, seconds, Ms(0.50), Ms(0.99));
    }

    /// <param name="starting">Called when the bodies are ready and the clock starts.</param>
    private static async Task<PhaseResult> BatchPhase(HttpClient http, Options o, string prefix, Action starting)
    {
        // Enough for 20,000 reports/s over the phase (the target is 15,000).
        var batches = (int)Math.Max(1, Math.Min(2000, (long)o.Seconds * 20_000 / o.BatchSize));
        var bodies = new byte[batches][];
        Parallel.For(0, batches, b =>
        {
            var sb = new StringBuilder();
            for (var j = 0; j < o.BatchSize; j++)
            {
                var i = (long)b * o.BatchSize + j;
                sb.Append(ContractJson.Serialize(ServiceLoadData.Make(prefix, i, i % 5 == 0 && o.Hot > 0 ? (int)(i / 5 % o.Hot) : null))).Append('\n');
            }
            bodies[b] = Encoding.UTF8.GetBytes(sb.ToString());
        });
        var next = -1;
        var errors = 0;
        long reports = 0;
        Console.WriteLine($"batch phase: {batches:N0} bodies ready, sending …");
        starting();
        var deadline = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, o.BatchConcurrency).Select(async _ =>
        {
            int b;
            while (deadline.Elapsed.TotalSeconds < o.Seconds && (b = Interlocked.Increment(ref next)) < batches)
            {
                var content = new ByteArrayContent(bodies[b]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
                using var response = await http.PostAsync("/v1/score/batch", content);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK || !text.Contains($"\"accepted\":{o.BatchSize},", StringComparison.Ordinal)) Interlocked.Increment(ref errors);
                else Interlocked.Add(ref reports, o.BatchSize);
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return new PhaseResult(reports, errors, deadline.Elapsed.TotalSeconds, 0, 0);
    }

    /// <summary>Resident and peak resident memory of the service process (Linux /proc), in bytes.</summary>
    private static (long Rss, long Peak) Memory(Process service)
    {
        var status = $"/proc/{service.Id}/status";
        if (!File.Exists(status)) { service.Refresh(); return (service.WorkingSet64, service.PeakWorkingSet64); }
        long Read(string field) => File.ReadLines(status).Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024).FirstOrDefault();
        return (Read("VmRSS:"), Read("VmHWM:"));
    }

    private static Options Parse(string[] args)
    {
        var o = new Options(100_000, 3, 10_000, 20, 32, 500, 4, null, 5181, 10, LaunchProfileGen0);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.Parse(Next(), CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "service" => o,
                "--reports" => o with { Reports = long.Parse(Next(), CultureInfo.InvariantCulture) },
                "--hot" => o with { Hot = Int() },
                "--hot-size" => o with { HotSize = Int() },
                "--seconds" => o with { Seconds = Math.Clamp(Int(), 1, 600) },
                "--concurrency" => o with { Concurrency = Math.Clamp(Int(), 1, 1024) },
                "--batch-size" => o with { BatchSize = Math.Clamp(Int(), 1, 10_000) },
                "--batch-concurrency" => o with { BatchConcurrency = Math.Clamp(Int(), 1, 64) },
                "--data" => o with { Data = Next() },
                "--port" => o with { Port = Int() },
                "--warmup" => o with { Warmup = Math.Clamp(Int(), 0, 600) },
                "--gen0" => o with { Gen0 = Next() },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
