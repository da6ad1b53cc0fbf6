using EvidenceCheck.Core.Contract;
using Newtonsoft.Json;

namespace EvidenceCheck.Learning.Simulation;

/// <summary>Plain options of the simulator, with documented defaults.</summary>
public sealed class SimulationOptions
{
    /// <summary>Seeds the one <see cref="Random"/> everything is drawn from: the same seed gives the same bytes.</summary>
    public int Seed { get; init; } = 1;
    /// <summary>1.0 ≈ 10,000 reports; 10 ≈ 100,000.</summary>
    public double Scale { get; init; } = 1.0;
    /// <summary>First day of the simulated weeks; the default brackets the June 4th anniversary, as in the seed case.</summary>
    public DateTimeOffset Epoch { get; init; } = new(2020, 5, 15, 0, 0, 0, TimeSpan.Zero);
    public int Days { get; init; } = 35;

    /// <summary>Reports per family at scale 1: about 60% genuine, as a queue under attack might see.</summary>
    public static readonly IReadOnlyDictionary<string, int> ReportsPerFamily = new Dictionary<string, int>
    {
        [Families.Established] = 2200, [Families.Newcomer] = 800, [Families.Raid] = 900, [Families.ImpersonationVictim] = 400,
        [Families.StaffEscalation] = 400, [Families.HonestMistake] = 700, [Families.ScreenPhoto] = 500,
        [Families.FreshBatch] = 1200, [Families.FakeProfile] = 500, [Families.Infiltrator] = 450, [Families.Sleeper] = 450,
        [Families.DoctoredScreenshot] = 400, [Families.ForgedEmail] = 400, [Families.ReusedFile] = 300, [Families.InternalPressure] = 400,
    };
}

/// <summary>
/// Simulates a meeting platform and the reports filed on it, genuine and fabricated, with their
/// labels. Deterministic per seed. Reports come out in arrival order with ids that say nothing of
/// their family.
/// </summary>
public static class PlatformSimulator
{
    public static IReadOnlyList<LabelledReport> Run(SimulationOptions options)
    {
        if (options.Scale <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Scale must be positive.");
        var random = new Random(options.Seed);
        var platform = new Platform(random, options.Epoch, options.Days);
        var families = new ReportFamilies(platform);
        var produced = new List<LabelledReport>();
        // Incidents of all families interleave at random, so nothing (account, meeting or evidence
        // numbering) follows the family; at least one incident per family, even at tiny scales.
        var targets = Families.All.ToDictionary(f => f, f => Math.Max(1, (int)Math.Round(SimulationOptions.ReportsPerFamily[f] * options.Scale)));
        var counts = Families.All.ToDictionary(f => f, _ => 0);
        while (true)
        {
            var open = Families.All.Where(f => counts[f] < targets[f]).ToArray();
            if (open.Length == 0) break;
            var remaining = open.Sum(f => targets[f] - counts[f]);
            var x = random.Next(remaining);
            var family = open.First(f => (x -= targets[f] - counts[f]) < 0);
            var reports = families.Play(family);
            produced.AddRange(reports);
            counts[family] += reports.Count;
        }
        var ordered = produced.OrderBy(r => r.Report.ReceivedAt).ThenBy(_ => random.Next()).ToList();
        var width = Math.Max(6, ordered.Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var result = new List<LabelledReport>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var id = $"r-{options.Seed}-{(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(width, '0')}";
            ordered[i].Report.ReportId = id;
            result.Add(new LabelledReport(ordered[i].Report, ordered[i].Label with { ReportId = id }));
        }
        return result;
    }

    /// <summary>Writes the reports (plain v1 JSON Lines) and the labels (a separate JSON Lines file).</summary>
    public static void Write(IReadOnlyList<LabelledReport> data, TextWriter reports, TextWriter labels)
    {
        foreach (var item in data)
        {
            reports.Write(JsonConvert.SerializeObject(item.Report, ContractJson.WriteSettings));
            reports.Write('\n');
            labels.Write(JsonConvert.SerializeObject(item.Label, ContractJson.WriteSettings));
            labels.Write('\n');
        }
    }
}
