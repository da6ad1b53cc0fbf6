using System.Globalization;

namespace EvidenceCheck.Core.Signals.Context;

/// <summary>
/// Whether the reported meeting matches the configured at-risk topics or anniversaries
/// (commemorations, vigils, dissident gatherings). Such meetings are the ones weaponised reporting
/// targets; the only consequence is closer scrutiny of reports against them — protection, never
/// targeting.
/// </summary>
[Signal("context.atRiskMeeting", SignalFamily.Context, Weight = 0.8)]
public sealed class AtRiskMeetingDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Meeting is not { } meeting) return null;
        var text = string.Join(" ", new[] { meeting.Title ?? "" }.Concat(meeting.Tags ?? [])).ToLowerInvariant();
        var topic = context.Options.AtRiskTopics.FirstOrDefault(t => ContainsPhrase(text, t.ToLowerInvariant()));
        if (topic is not null)
            return new Signal(1.0, 1, "flag", $"The meeting \"{meeting.Title}\" matches the at-risk topic \"{topic}\".");
        if ((meeting.StartedAt ?? meeting.ScheduledAt) is { } when && NearAnniversary(when, context.Options) is { } date)
            return new Signal(1.0, 1, "flag", $"The meeting on {when:yyyy-MM-dd} falls near the at-risk anniversary {date}.");
        if (meeting.Title is null && meeting.Tags is null && meeting.StartedAt is null && meeting.ScheduledAt is null) return null;
        return new Signal(0, 0, "flag", "The meeting matches no configured at-risk topic or date.");
    }

    private static bool ContainsPhrase(string text, string phrase)
    {
        for (var at = text.IndexOf(phrase, StringComparison.Ordinal); at >= 0; at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal))
        {
            // Whole words only for Latin text ("vigil" is not "vigilante"); scripts without spaces match anywhere.
            var before = at == 0 || !char.IsLetter(text[at - 1]) || text[at - 1] > '\u024F';
            var end = at + phrase.Length;
            var after = end == text.Length || !char.IsLetter(text[end]) || text[end] > '\u024F';
            if (before && after) return true;
        }
        return false;
    }

    private static string? NearAnniversary(DateTimeOffset when, Scoring.ScoringOptions options)
    {
        foreach (var d in options.AtRiskDates)
        {
            var month = int.Parse(d[..2], CultureInfo.InvariantCulture);
            var day = int.Parse(d[3..], CultureInfo.InvariantCulture);
            var utc = when.UtcDateTime.Date;
            foreach (var year in new[] { utc.Year - 1, utc.Year, utc.Year + 1 })
            {
                if (day > DateTime.DaysInMonth(year, month)) continue;
                if (Math.Abs((new DateTime(year, month, day) - utc).TotalDays) <= options.AtRiskDateWindowDays) return d;
            }
        }
        return null;
    }
}
