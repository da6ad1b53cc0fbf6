using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>What every evidence detector needs: a name for the file a reviewer can find, and one signal out of many files.</summary>
public static class EvidenceItems
{
    /// <summary>How a reviewer finds the item in the report: its file name, else its id, else its position.</summary>
    public static string Name(EvidenceFacts f) =>
        f.DeclaredFileName is { Length: > 0 } name ? name : f.EvidenceId is { Length: > 0 } id ? id : $"evidence #{f.Index + 1}";

    /// <summary>Says so when a fact was not read from the file itself.</summary>
    public static string Provenance(EvidenceFacts f) =>
        f.Source == FactSource.CallerMetadata ? " (according to the caller's metadata, not read from the file)" : "";

    /// <summary>The facts a detector may read: readable items that came from a file or from caller metadata.</summary>
    public static bool Readable(EvidenceFacts f) => f.Readable && f.Source != FactSource.None;

    /// <summary>
    /// One signal for a report with several files: the strongest, saying how many others also fired.
    /// Null when no file could be measured.
    /// </summary>
    /// <remarks>
    /// Every detector runs on every report, most of them without files: the items are walked here, with the detector's
    /// filter and measure given as static lambdas or methods, so that nothing is allocated per report (LINQ's iterators
    /// and closures were ~4% of the service's allocations).
    /// </remarks>
    public static Signal? Strongest(ReportContext context, Func<EvidenceFacts, bool> include, Func<EvidenceFacts, ReportContext, Signal?> measure)
    {
        Signal? best = null;
        var firing = 0;
        var evidence = context.Evidence;
        for (var i = 0; i < evidence.Count; i++)
        {
            var f = evidence[i];
            if (!include(f) || measure(f, context) is not { } signal) continue;
            if (signal.Strength > 0) firing++;
            if (best is null || signal.Strength > best.Value.Strength) best = signal;
        }
        if (best is { Strength: > 0 } b && firing > 1)
            return b with { Detail = (firing == 2 ? $"{b.Detail} (1 more evidence item also shows this.)" : $"{b.Detail} ({firing - 1} more evidence items also show this.)") };
        return best;
    }

    /// <summary>Linear from <paramref name="low"/> at <paramref name="from"/> to 1 at <paramref name="to"/>.</summary>
    public static double Ramp(double x, double from, double to, double low) =>
        x <= from ? low : x >= to ? 1 : low + (1 - low) * (x - from) / (to - from);

    /// <summary>
    /// The registrable part of a domain, for alignment: the last two labels, or three under a short
    /// second-level suffix like co.uk or com.hk. An approximation of the public suffix list, which
    /// errs towards calling domains aligned (the benign reading).
    /// </summary>
    public static string OrganisationalDomain(string domain)
    {
        var labels = domain.Trim().TrimEnd('.').ToLowerInvariant().Split('.');
        if (labels.Length <= 2) return string.Join('.', labels);
        var take = labels[^2] is "co" or "com" or "net" or "org" or "gov" or "edu" or "ac" or "or" or "ne" or "go" && labels[^1].Length == 2 ? 3 : 2;
        return string.Join('.', labels[^take..]);
    }

    public static bool Aligned(string a, string b) =>
        string.Equals(OrganisationalDomain(a), OrganisationalDomain(b), StringComparison.Ordinal);
}
