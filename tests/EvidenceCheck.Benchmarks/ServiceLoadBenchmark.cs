using System.Diagnostics;
using System.Globalization;
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
/// DOTNET_GCgen0size, default as in its launch profile; "default" leaves the runtime's own) --timeline FILE (the single
/// phase per 100 ms window as CSV: requests started, median and slowest latency) --random-ids (the measured reports' ids
/// are hashes, as UUIDs would be, instead of a counter: each lands on its own page of the report-id index).
/// </summary>
public static class ServiceLoadBenchmark
{
    private const string Key = "benchmark-scoring-key-0123456789";

    private sealed record Options(long Reports, int Hot, int HotSize, int Seconds, int Concurrency, int BatchSize, int BatchConcurrency, string? Data, int Port, int Warmup, string Gen0, string? Timeline = null, bool RandomIds = false);

    public static async Task<int> Run(string[] args)
    {
        Options o;
        try { o = Parse(args); }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"service benchmark: {e.Message}\nOptions: --reports N --hot N --hot-size N --seconds N --concurrency N --batch-size N --batch-concurrency N --data DIR --port N --warmup N --gen0 HEX|default --timeline FILE --random-ids");
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
            if (o.Warmup > 0)
            {
                SinglePhase(o with { Seconds = o.Warmup }, "warm" + run);
                // The batch path too (its splitter, the writer's group path, the answer's writer): measured cold, its first
                // seconds ran on unoptimised code, and the JIT's tiering thread took ~7% of a core mid-phase.
                BatchPhase(o with { Seconds = Math.Max(1, o.Warmup / 2) }, "warmbatch" + run, () => { });
            }
            var cpu = ServiceCpu(service);
            var threads = ThreadTimes(service);
            var writer = await Writer(http);
            var single = SinglePhase(o, "one" + run);
            var singleCpu = (ServiceCpu(service) - cpu).TotalMicroseconds / Math.Max(1, single.Count);
            Console.WriteLine($"single : {single.PerSecond,8:N0} scores/s   p50 {single.P50:0.0} ms   p99 {single.P99:0.0} ms   ({single.Count:N0} requests, {single.Errors} errors, {o.Concurrency} connections, {single.Seconds:0.0} s)");
            Console.WriteLine($"         service CPU {singleCpu:N0} µs per report; load generator {single.LoadCpuMicroseconds:N0} µs");
            Console.WriteLine($"         threads: {ThreadSummary(threads, ThreadTimes(service), single.Count)}");
            var singleWriter = (await Writer(http)).Since(writer);
            Console.WriteLine($"         writer: {singleWriter}");
            writer = await Writer(http);
            var batch = BatchPhase(o, "batch" + run, () => (cpu, threads) = (ServiceCpu(service), ThreadTimes(service)));
            var batchCpu = (ServiceCpu(service) - cpu).TotalMicroseconds / Math.Max(1, batch.Count);
            Console.WriteLine($"batch  : {batch.PerSecond,8:N0} reports/s ({batch.Count:N0} reports in batches of {o.BatchSize}, {batch.Errors} errors, {o.BatchConcurrency} connections, {batch.Seconds:0.0} s)");
            Console.WriteLine($"         service CPU {batchCpu:N0} µs per report; load generator {batch.LoadCpuMicroseconds:N0} µs");
            Console.WriteLine($"         threads: {ThreadSummary(threads, ThreadTimes(service), batch.Count)}");
            var batchWriter = (await Writer(http)).Since(writer);
            Console.WriteLine($"         writer: {batchWriter}");
            var (rss, peak) = Memory(service);
            Console.WriteLine($"memory : service RSS {rss / 1048576.0:N0} MB (peak {peak / 1048576.0:N0} MB) with {o.Reports:N0}+ stored reports");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT reports={o.Reports} hot={o.Hot}x{o.HotSize} single_per_s={single.PerSecond:0} p50_ms={single.P50:0.00} p99_ms={single.P99:0.00} batch_per_s={batch.PerSecond:0} single_cpu_us={singleCpu:0} single_commit_ms={singleWriter.CommitMilliseconds:0.00} single_flush_ms={singleWriter.FlushMilliseconds:0.00} batch_cpu_us={batchCpu:0} single_writer_us={singleWriter.MicrosecondsPerReport:0} batch_writer_us={batchWriter.MicrosecondsPerReport:0} load_cpu_us={single.LoadCpuMicroseconds:0}/{batch.LoadCpuMicroseconds:0} rss_mb={rss / 1048576.0:0} peak_mb={peak / 1048576.0:0}"));
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

    /// <summary>
    /// Each service thread's time so far (Linux <c>/proc/PID/task/*/schedstat</c>: nanoseconds run, and nanoseconds waited
    /// for a core while runnable), by thread id with its name; empty elsewhere or once the service is gone.
    /// </summary>
    private static Dictionary<int, (string Name, long RunNs, long WaitNs)> ThreadTimes(Process service)
    {
        var times = new Dictionary<int, (string, long, long)>();
        var tasks = $"/proc/{service.Id}/task";
        if (!Directory.Exists(tasks)) return times;
        foreach (var task in Directory.GetDirectories(tasks))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "schedstat")).Split(' ');
                times[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = (File.ReadAllText(Path.Combine(task, "comm")).Trim(),
                    long.Parse(stat[0], CultureInfo.InvariantCulture), long.Parse(stat[1], CultureInfo.InvariantCulture));
            }
            catch (IOException) { } // the thread ended meanwhile
        }
        return times;
    }

    /// <summary>
    /// Where a phase's service time went, by thread (names as the service gives them, the pool's workers together): µs per
    /// report run, and µs per report waited for a core, the busiest first. A thread that ended during the phase is
    /// not counted.
    /// </summary>
    private static string ThreadSummary(Dictionary<int, (string Name, long RunNs, long WaitNs)> before, Dictionary<int, (string Name, long RunNs, long WaitNs)> after, long reports)
    {
        if (after.Count == 0) return "(not available here)";
        static string Label(string comm) => comm switch
        {
            "EvidenceCheck r" => "writer",
            "EvidenceCheck c" => "checkpoint",
            "EvidenceCheck l" => "log sync",
            ".NET TP Worker" => "pool",
            _ => "other",
        };
        var sums = after.Select(t => (Label: Label(t.Value.Name),
                Run: t.Value.RunNs - (before.TryGetValue(t.Key, out var b) ? b.RunNs : 0), Wait: t.Value.WaitNs - (before.TryGetValue(t.Key, out b) ? b.WaitNs : 0)))
            .GroupBy(t => t.Label).Select(g => (g.Key, Run: g.Sum(t => t.Run), Wait: g.Sum(t => t.Wait))).OrderByDescending(g => g.Run);
        var perReport = 1e3 * Math.Max(1, reports);
        return "µs per report run / waiting for a core: " + string.Join(", ", sums.Select(g => $"{g.Key} {g.Run / perReport:N0} / {g.Wait / perReport:N0}"));
    }

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

    /// <summary>
    /// Waits for /healthz to answer 200: up to 30 s for the service to listen, then as long as it answers 503 "starting"
    /// (a store deriving its campaigns again takes ~45 s a million reports), saying what it does every 10 s.
    /// </summary>
    private static async Task WaitHealthy(HttpClient http, Process service)
    {
        var waited = Stopwatch.StartNew();
        var said = TimeSpan.Zero;
        var starting = false;
        while (starting || waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (service.HasExited) throw new InvalidOperationException($"the service exited with code {service.ExitCode}");
            try
            {
                var health = await http.GetAsync("/healthz");
                if (health.IsSuccessStatusCode) return;
                starting = health.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable;
                if (starting && waited.Elapsed - said >= TimeSpan.FromSeconds(10))
                {
                    said = waited.Elapsed;
                    Console.WriteLine($"  service starting ({waited.Elapsed.TotalSeconds:N0} s): {await health.Content.ReadAsStringAsync()}");
                }
            }
            catch (HttpRequestException) { starting = false; }
            await Task.Delay(100);
        }
        throw new TimeoutException("the service did not become healthy in 30 s");
    }

    /// <summary>Group-commit totals since the service started (from /healthz), and the figures of a phase between two readings.</summary>
    /// <param name="Stages">The writer's time by stage (/healthz <c>writer.stages</c>): milliseconds since start, or of a phase µs per report.</param>
    private sealed record WriterTotals(double Commits, double Reports, double CommitMilliseconds, double Flushes, double FlushMilliseconds, double[] Stages)
    {
        public static readonly string[] StageNames = ["lookup", "campaign", "rows", "firstScoreWait", "scores", "rescores", "commit"];

        public WriterTotals Since(WriterTotals before) => new(Commits - before.Commits, Reports - before.Reports,
            (CommitMilliseconds - before.CommitMilliseconds) / Math.Max(1, Commits - before.Commits),
            Flushes - before.Flushes, (FlushMilliseconds - before.FlushMilliseconds) / Math.Max(1, Flushes - before.Flushes),
            Stages.Select((ms, i) => (ms - before.Stages[i]) * 1000 / Math.Max(1, Reports - before.Reports)).ToArray());

        /// <summary>Of a phase: the writer's wall time per report, all stages.</summary>
        public double MicrosecondsPerReport => Stages.Sum();

        /// <summary>Of a phase: the means are per commit and per flush, the stages per report.</summary>
        public override string ToString()
        {
            var stages = string.Join(" + ", StageNames.Select((name, i) => string.Create(CultureInfo.InvariantCulture, $"{name} {Stages[i]:0.0}")));
            return string.Create(CultureInfo.InvariantCulture,
                $"{Commits:N0} commits, {Reports / Math.Max(1, Commits):N1} reports each, {CommitMilliseconds:0.00} ms per commit; {Flushes:N0} log flushes, {FlushMilliseconds:0.00} ms each\n         writer's time per report: {MicrosecondsPerReport:N0} µs = {stages}");
        }
    }

    /// <summary>The service's group-commit totals so far, from /healthz (its figures are means since start).</summary>
    private static async Task<WriterTotals> Writer(HttpClient http)
    {
        var w = Newtonsoft.Json.Linq.JObject.Parse(await http.GetStringAsync("/healthz"))["writer"]!;
        double commits = (double)w["commits"]!, flushes = (double)w["flushes"]!;
        var stages = w["stages"]!;
        return new WriterTotals(commits, commits * (double)w["reportsPerCommit"]!, commits * (double)w["meanCommitMilliseconds"]!,
            flushes, flushes * (double)w["meanFlushMilliseconds"]!, WriterTotals.StageNames.Select(name => (double)stages[name]!).ToArray());
    }

    /// <param name="LoadCpuMicroseconds">The load generator's own CPU per report (it shares the machine's cores with the service).</param>
    private sealed record PhaseResult(long Count, int Errors, double Seconds, double P50, double P99, double LoadCpuMicroseconds)
    {
        public double PerSecond => Count / Seconds;
    }

    private static PhaseResult SinglePhase(Options o, string prefix)
    {
        // Bodies are made before the clock starts; 20% of reports go to hot subjects.
        // Enough bodies for 8,000 requests/s over the phase (the target is 5,000); the phase also ends on time.
        var max = Math.Min(1_000_000, (long)o.Seconds * 8_000);
        var requests = new byte[max][];
        Parallel.For(0, max, i =>
        {
            var body = Encoding.UTF8.GetBytes(ContractJson.Serialize(ServiceLoadData.Make(prefix, i, i % 5 == 0 && o.Hot > 0 ? (int)(i / 5 % o.Hot) : null, o.RandomIds)));
            requests[i] = [.. RawHttpConnection.Head("/v1/score", o.Port, Key, "application/json", body.Length), .. body];
        });
        var next = -1L;
        var errors = 0;
        var connections = Enumerable.Range(0, o.Concurrency).Select(_ => RawHttpConnection.Open(o.Port)).ToArray();
        var cpu = LoadCpu();
        var deadline = Stopwatch.StartNew();
        var latencies = new List<long>[o.Concurrency];
        var startTimes = new List<long>[o.Concurrency];
        var clockStart = Stopwatch.GetTimestamp();
        RunOnThreads(o.Concurrency, w =>
        {
            var mine = latencies[w] = new List<long>(1 << 16);
            var starts = startTimes[w] = new List<long>(1 << 16);
            using var connection = connections[w];
            long i;
            while (deadline.Elapsed.TotalSeconds < o.Seconds && (i = Interlocked.Increment(ref next)) < max)
            {
                var started = Stopwatch.GetTimestamp();
                var (status, _) = connection.Send(requests[i], default, keepBody: false);
                mine.Add(Stopwatch.GetTimestamp() - started);
                starts.Add(started);
                if (status != 200) Interlocked.Increment(ref errors);
            }
        });
        var seconds = deadline.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).ToArray();
        if (o.Timeline is { } timeline) WriteTimeline(timeline, clockStart, startTimes.SelectMany(t => t).ToArray(), all);
        var loadCpu = (LoadCpu() - cpu).TotalMicroseconds / Math.Max(1, all.Length);
        Array.Sort(all);
        double Ms(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(q * all.Length))] * 1000.0 / Stopwatch.Frequency;
        return new PhaseResult(all.Length, errors, seconds, Ms(0.50), Ms(0.99), loadCpu);
    }

    /// <summary>
    /// Where the slow requests of the single phase fall in time: per 100 ms window (by start), the requests started,
    /// their median and slowest latency, as CSV (for lining up with the service's GC pauses and log restarts).
    /// </summary>
    private static void WriteTimeline(string path, long clockStart, long[] starts, long[] latencies)
    {
        double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
        var lines = new List<string> { "window_ms,requests,p50_ms,max_ms" };
        foreach (var window in Enumerable.Range(0, starts.Length).GroupBy(i => (long)(Ms(starts[i] - clockStart) / 100)).OrderBy(g => g.Key))
        {
            var l = window.Select(i => latencies[i]).Order().ToArray();
            lines.Add(FormattableString.Invariant($"{window.Key * 100},{l.Length},{Ms(l[l.Length / 2]):0.0},{Ms(l[^1]):0.0}"));
        }
        File.WriteAllLines(path, lines);
    }

    /// <summary>Runs <paramref name="count"/> workers, each on a thread of its own (blocking calls, no thread pool), and waits for all.</summary>
    private static void RunOnThreads(int count, Action<int> work)
    {
        var threads = Enumerable.Range(0, count).Select(w => new Thread(() => work(w)) { IsBackground = true, Name = $"load {w}" }).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
    }

    /// <summary>CPU time this process (the load generator) has used so far.</summary>
    private static TimeSpan LoadCpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <param name="starting">Called when the bodies are ready and the clock starts.</param>
    private static PhaseResult BatchPhase(Options o, string prefix, Action starting)
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
                sb.Append(ContractJson.Serialize(ServiceLoadData.Make(prefix, i, i % 5 == 0 && o.Hot > 0 ? (int)(i / 5 % o.Hot) : null, o.RandomIds))).Append('\n');
            }
            bodies[b] = Encoding.UTF8.GetBytes(sb.ToString());
        });
        var next = -1;
        var errors = 0;
        long reports = 0;
        var accepted = Encoding.UTF8.GetBytes($"\"accepted\":{o.BatchSize},");
        var connections = Enumerable.Range(0, o.BatchConcurrency).Select(_ => RawHttpConnection.Open(o.Port)).ToArray();
        Console.WriteLine($"batch phase: {batches:N0} bodies ready, sending …");
        starting();
        var cpu = LoadCpu();
        var deadline = Stopwatch.StartNew();
        RunOnThreads(o.BatchConcurrency, w =>
        {
            using var connection = connections[w];
            int b;
            while (deadline.Elapsed.TotalSeconds < o.Seconds && (b = Interlocked.Increment(ref next)) < batches)
            {
                var head = RawHttpConnection.Head("/v1/score/batch", o.Port, Key, "application/x-ndjson", bodies[b].Length);
                var (status, answer) = connection.Send(head, bodies[b], keepBody: true);
                if (status != 200 || answer.AsSpan().IndexOf(accepted) < 0) Interlocked.Increment(ref errors);
                else Interlocked.Add(ref reports, o.BatchSize);
            }
        });
        var seconds = deadline.Elapsed.TotalSeconds;
        return new PhaseResult(reports, errors, seconds, 0, 0, (LoadCpu() - cpu).TotalMicroseconds / Math.Max(1, reports));
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
                "--timeline" => o with { Timeline = Next() },
                "--random-ids" => o with { RandomIds = true },
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        return o;
    }
}
