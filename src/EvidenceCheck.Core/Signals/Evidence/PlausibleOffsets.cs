using System.Globalization;
using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>The span of real instants a recorded time can stand for, and why.</summary>
/// <param name="Basis">How the offset was settled, in words a reviewer can check: "recorded offset +08:00", "any offset used in HK (+08:00)".</param>
/// <param name="Assumed">True when the offset was assumed from the person's country rather than recorded in the file.</param>
public readonly record struct InstantRange(DateTimeOffset Earliest, DateTimeOffset Latest, string Basis, bool Assumed);

/// <summary>
/// EXIF times are wall-clock times, usually with no offset. Such a time is compared with the
/// platform's UTC record under every offset the person could plausibly have been in: the offsets
/// of the countries the platform has for them (account, session, meeting participation), or
/// UTC−12…+14 when none is known. A genuine photo taken in Hong Kong at 22:10 during a meeting
/// held 13:30–14:55 UTC is 14:10 UTC, and must never read as "outside the meeting".
/// </summary>
public static class PlausibleOffsets
{
    /// <summary>Every offset in use anywhere: UTC−12 (Baker Island) to UTC+14 (Line Islands).</summary>
    public static readonly (TimeSpan Min, TimeSpan Max) World = (TimeSpan.FromHours(-12), TimeSpan.FromHours(14));

    /// <summary>
    /// Smallest and largest offset (hours, daylight saving included) used in each country since 2010,
    /// from the IANA tz database. Countries not listed fall back to <see cref="World"/>: a missing
    /// entry widens the range, it never narrows it.
    /// </summary>
    private static readonly Dictionary<string, (double Min, double Max)> ByCountry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["US"] = (-10, -4), ["CA"] = (-8, -2.5), ["MX"] = (-8, -5), ["BR"] = (-5, -2), ["AR"] = (-3, -3), ["CL"] = (-6, -3),
        ["CO"] = (-5, -5), ["PE"] = (-5, -5), ["VE"] = (-4.5, -4), ["GB"] = (0, 1), ["IE"] = (0, 1), ["PT"] = (-1, 1),
        ["ES"] = (0, 2), ["FR"] = (1, 2), ["DE"] = (1, 2), ["IT"] = (1, 2), ["NL"] = (1, 2), ["BE"] = (1, 2), ["CH"] = (1, 2),
        ["AT"] = (1, 2), ["SE"] = (1, 2), ["NO"] = (1, 2), ["DK"] = (1, 2), ["PL"] = (1, 2), ["CZ"] = (1, 2), ["HU"] = (1, 2),
        ["FI"] = (2, 3), ["EE"] = (2, 3), ["LV"] = (2, 3), ["LT"] = (2, 3), ["UA"] = (2, 4), ["RO"] = (2, 3), ["BG"] = (2, 3),
        ["GR"] = (2, 3), ["TR"] = (2, 3), ["RU"] = (2, 12), ["IL"] = (2, 3), ["EG"] = (2, 3), ["ZA"] = (2, 2), ["NG"] = (1, 1),
        ["KE"] = (3, 3), ["ET"] = (3, 3), ["SA"] = (3, 3), ["AE"] = (4, 4), ["IR"] = (3.5, 4.5), ["PK"] = (5, 6), ["IN"] = (5.5, 5.5),
        ["BD"] = (6, 7), ["NP"] = (5.75, 5.75), ["LK"] = (5.5, 6), ["MM"] = (6.5, 6.5), ["TH"] = (7, 7), ["VN"] = (7, 7),
        ["KH"] = (7, 7), ["ID"] = (7, 9), ["MY"] = (8, 8), ["SG"] = (8, 8), ["PH"] = (8, 8), ["CN"] = (8, 8), ["HK"] = (8, 8),
        ["MO"] = (8, 8), ["TW"] = (8, 8), ["MN"] = (7, 9), ["JP"] = (9, 9), ["KR"] = (9, 9), ["KP"] = (8.5, 9),
        ["AU"] = (8, 11), ["NZ"] = (12, 13.75), ["KZ"] = (5, 6), ["UZ"] = (5, 5), ["AF"] = (4.5, 4.5),
    };

    /// <summary>The offsets plausible for the person who captured the evidence: the reporter, who submitted it.</summary>
    public static (TimeSpan Min, TimeSpan Max, string Basis) ForReporter(ReportContext context)
    {
        var countries = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        void Add(string? c) { if (!string.IsNullOrWhiteSpace(c)) countries.Add(c.Trim().ToUpperInvariant()); }
        Add(context.Reporter?.Country);
        Add(context.Report.ReporterSession?.Country);
        if (context.Reporter?.AccountId is { } id && context.Presence is { } presence)
            foreach (var stretch in presence.Stretches(id)) Add(stretch.Country);

        if (countries.Count == 0 || countries.Any(c => !ByCountry.ContainsKey(c)))
            return (World.Min, World.Max, "any offset on Earth (UTC−12…+14)");
        var min = countries.Min(c => ByCountry[c].Min);
        var max = countries.Max(c => ByCountry[c].Max);
        var range = min == max ? Format(TimeSpan.FromHours(min)) : $"{Format(TimeSpan.FromHours(min))}…{Format(TimeSpan.FromHours(max))}";
        return (TimeSpan.FromHours(min), TimeSpan.FromHours(max), $"any offset used in {string.Join("/", countries)} ({range})");
    }

    /// <summary>The instants the file's capture time can stand for, or null when the file records no capture time.</summary>
    public static InstantRange? Capture(EvidenceFacts facts, ReportContext context) =>
        facts.CapturedLocal is { } local ? Of(local, facts.CapturedOffset, facts, context) : null;

    /// <summary>The instants a wall-clock time of this file can stand for.</summary>
    public static InstantRange Of(DateTime local, TimeSpan? recordedOffset, EvidenceFacts facts, ReportContext context)
    {
        var wall = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), TimeSpan.Zero);
        if (recordedOffset is { } o)
            return new InstantRange(wall - o, wall - o, "recorded offset " + Format(o), false);
        if (OffsetFromGps(facts) is { } g)
            return new InstantRange(wall - g, wall - g, $"offset {Format(g)} implied by the GPS clock (UTC)", false);
        var (min, max, basis) = ForReporter(context);
        // A later offset means an earlier instant for the same wall-clock time.
        return new InstantRange(wall - max, wall - min, basis, (min, max) != World);
    }

    /// <summary>
    /// Phones record the GPS fix time in UTC next to the local capture time; when the two differ by a
    /// whole number of quarter hours (± 2 minutes) that difference is the offset the camera was in.
    /// </summary>
    private static TimeSpan? OffsetFromGps(EvidenceFacts facts)
    {
        if (facts.GpsTime is not { } gps || facts.CapturedLocal is not { } local) return null;
        var difference = local - gps.UtcDateTime;
        var quarters = Math.Round(difference.TotalMinutes / 15);
        var residual = Math.Abs(difference.TotalMinutes - quarters * 15);
        var offset = TimeSpan.FromMinutes(quarters * 15);
        return residual <= 2 && offset >= World.Min && offset <= World.Max ? offset : null;
    }

    public static string Format(TimeSpan offset) =>
        (offset < TimeSpan.Zero ? "−" : "+") + offset.Duration().ToString(@"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>"2020-06-03 22:10 (+08:00)" or "2020-06-03 22:10 (no offset recorded)", as the file has it.</summary>
    public static string Wall(DateTime local, TimeSpan? offset) =>
        local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + (offset is { } o ? $" ({Format(o)})" : " (local time, no offset recorded)");
}
