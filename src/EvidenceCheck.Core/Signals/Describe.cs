using System.Globalization;

namespace EvidenceCheck.Core.Signals;

/// <summary>Formats times and durations the same way in every reason a reviewer reads.</summary>
public static class Describe
{
    public static string Time(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan d)
    {
        var a = d.Duration();
        return a.TotalMinutes < 1 ? $"{a.TotalSeconds:0} seconds"
            : a.TotalHours < 2 ? Plural(a.TotalMinutes, "minute")
            : a.TotalDays < 2 ? Plural(a.TotalHours, "hour")
            : a.TotalDays < 60 ? Plural(a.TotalDays, "day")
            : a.TotalDays < 730 ? Plural(a.TotalDays / 30.44, "month")
            : Plural(a.TotalDays / 365.25, "year");
    }

    private static string Plural(double n, string unit)
    {
        var rounded = Math.Round(n, MidpointRounding.AwayFromZero);
        return rounded == 1 ? $"1 {unit}" : $"{rounded.ToString(CultureInfo.InvariantCulture)} {unit}s";
    }

    public static string Account(Contract.Account a) =>
        a.DisplayName is { Length: > 0 } name ? $"{a.AccountId} (\"{name}\")" : a.AccountId;

    public static double Days(TimeSpan d) => Math.Round(d.TotalDays, 3);
    public static double Minutes(TimeSpan d) => Math.Round(d.TotalMinutes, 1);
}
