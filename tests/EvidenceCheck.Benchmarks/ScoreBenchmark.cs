using System.Diagnostics;
using EvidenceCheck.Core.Contract;
using EvidenceCheck.Core.Scoring;
using EvidenceCheck.Core.Signals;
using Newtonsoft.Json;

namespace EvidenceCheck.Benchmarks;

/// <summary>
/// Single-thread throughput of the score path without campaign signals: read a JSON line into a
/// validated report, run every detector, combine, explain, and write the score as JSON. The
/// baseline is Json.NET deserialising the same lines into the same types with default settings.
/// Input: the sample reports (~2.7 KB each) repeated with fresh ids, held in memory so disk is not measured.
/// </summary>
internal static class ScoreBenchmark
{
    public static Task<int> Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 50_000;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 7;
        var lines = Lines(count);
        Console.WriteLine($"score benchmark: {count:N0} reports, mean {lines.Average(l => l.Length):N0} chars, {rounds} rounds, 1 thread");

        var scorer = new ReportScorer(DetectorCatalog.Discover(), new ScoringOptions(), TimeProvider.System);
        var reader = new ReportReader();
        var baselineSettings = new JsonSerializerSettings();

        double Baseline()
        {
            long n = 0;
            foreach (var line in lines) n += JsonConvert.DeserializeObject<Report>(line, baselineSettings)!.ReportId.Length;
            return n;
        }
        double ParseOnly()
        {
            long n = 0;
            foreach (var line in lines) n += reader.Read(line).Report!.ReportId.Length;
            return n;
        }
        var utf8 = lines.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
        double ParseUtf8()
        {
            long n = 0;
            foreach (var bytes in utf8) n += ReportReader.Parse(bytes).Report!.ReportId.Length;
            return n;
        }
        // The stored form, whose SHA-256 is the content hash: Json.NET's text encoded, and the direct writer (the service's).
        var parsed = lines.Select(l => reader.Read(l).Report!).ToArray();
        double WriteJsonNet()
        {
            long n = 0;
            foreach (var r in parsed) n += System.Text.Encoding.UTF8.GetBytes(ContractJson.Serialize(r)).Length;
            return n;
        }
        double WriteDirect()
        {
            long n = 0;
            foreach (var r in parsed) n += ContractWriter.ToUtf8(r).Length;
            return n;
        }
        // The observation kept beside each report (campaign facts), Json.NET's text encoded against the direct writer.
        var observed = parsed.Select(r => EvidenceCheck.Core.Campaigns.ObservedReport.From(r, new ScoringOptions(), new EvidenceCheck.Core.Campaigns.CampaignOptions())).ToArray();
        double ObservedJsonNet()
        {
            long n = 0;
            foreach (var o in observed) n += System.Text.Encoding.UTF8.GetBytes(JsonConvert.SerializeObject(o, EvidenceCheck.Storage.StoredJson.Settings)).Length;
            return n;
        }
        double ObservedDirect()
        {
            long n = 0;
            foreach (var o in observed) n += EvidenceCheck.Storage.StoredJson.SerializeUtf8(o).Length;
            return n;
        }
        double Full()
        {
            var output = new StringWriter();
            foreach (var line in lines)
            {
                var parse = reader.Read(line);
                ScoreJson.Write(output, scorer.Score(parse.Report!));
                output.Write('\n');
                if (output.GetStringBuilder().Length > 1 << 22) output.GetStringBuilder().Clear();
            }
            return output.GetStringBuilder().Length;
        }

        var results = new List<(string Name, double Median)>();
        foreach (var (name, body) in new (string, Func<double>)[] { ("Json.NET deserialise (baseline)", Baseline), ("contract reader (strict + validate)", ParseOnly), ("contract reader from UTF-8 (the service's)", ParseUtf8), ("contract JSON to UTF-8 by Json.NET", WriteJsonNet), ("contract JSON to UTF-8 direct (the service's)", WriteDirect), ("observation to UTF-8 by Json.NET", ObservedJsonNet), ("observation to UTF-8 direct (the service's)", ObservedDirect), ("score: read + detect + explain + write", Full) })
        {
            body(); // warm-up
            var rates = new List<double>();
            for (var i = 0; i < rounds; i++)
            {
                GC.Collect();
                var clock = Stopwatch.StartNew();
                body();
                rates.Add(count / clock.Elapsed.TotalSeconds);
            }
            rates.Sort();
            results.Add((name, rates[rates.Count / 2]));
        }
        var baseline = results[0].Median;
        foreach (var (name, median) in results)
            Console.WriteLine($"  {name,-42} {median,10:N0} reports/s   {median / baseline:0.00}× baseline");
        if (args.Contains("--per-detector")) PerDetector(lines, scorer, reader);
        var allocated = MeasureAllocation(lines, scorer, reader);
        Console.WriteLine($"  allocated per scored report: {allocated:N0} bytes");
        return Task.FromResult(0);
    }

    /// <summary>Where the time goes: each detector alone over the same reports, and the stages around them.</summary>
    private static void PerDetector(string[] lines, ReportScorer scorer, ReportReader reader)
    {
        var reports = lines.Select(l => reader.Read(l).Report!).ToArray();
        var clock = Stopwatch.StartNew();
        var contexts = reports.Select(r => new ReportContext(r, scorer.Options, scorer.Inspect(r))).ToArray();
        Console.WriteLine($"  {"(context + evidence)",-34} {clock.Elapsed.TotalMicroseconds / reports.Length,8:N2} µs/report");
        foreach (var d in scorer.Catalog.Detectors)
        {
            clock.Restart();
            foreach (var c in contexts) d.Detector.Detect(c);
            Console.WriteLine($"  {d.Name,-34} {clock.Elapsed.TotalMicroseconds / reports.Length,8:N2} µs/report");
        }
        var measurements = reports.Select(r => scorer.Measure(r)).ToArray();
        clock.Restart();
        var results = measurements.Select(scorer.Explain).ToArray();
        Console.WriteLine($"  {"(explain)",-34} {clock.Elapsed.TotalMicroseconds / reports.Length,8:N2} µs/report");
        clock.Restart();
        foreach (var r in results) ScoreJson.ToJson(r);
        Console.WriteLine($"  {"(serialise score)",-34} {clock.Elapsed.TotalMicroseconds / reports.Length,8:N2} µs/report");
    }

    private static double MeasureAllocation(string[] lines, ReportScorer scorer, ReportReader reader)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var line in lines) ScoreJson.ToJson(scorer.Score(reader.Read(line).Report!));
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)lines.Length;
    }

    /// <summary>The sample reports, cycled, each with its own id.</summary>
    public static string[] Lines(int count)
    {
        var samples = File.ReadAllLines(Path.Combine(EvidenceCheck.Testing.RepositoryRoot.Folder, "samples", "reports.jsonl")).Where(l => l.Length is > 2000 and < 5000).ToArray(); // ~3 KB reports without inlined files
        return Enumerable.Range(0, count).Select(i =>
        {
            var s = samples[i % samples.Length];
            var at = s.IndexOf("\"reportId\": \"", StringComparison.Ordinal) + 13;
            var end = s.IndexOf('"', at);
            return s[..at] + $"bench-{i:D7}" + s[end..];
        }).ToArray();
    }
}
