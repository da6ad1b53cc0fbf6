using EvidenceCheck.Core.Signals;

namespace EvidenceCheck.Learning.StandIn;

// Stand-in detectors: a few simple report-level checks so the learning code can be trained,
// tested and timed on a branch that has none of the real detectors yet. They are NOT discovered
// by DetectorCatalog.Discover (nothing scans this assembly for detectors); a caller adds them on
// purpose (`train --stand-in`, tests, the benchmark). Names start with "standin." so they can
// never be mistaken for, or collide with, the real catalogue. Delete once the real ones are merged.

/// <summary>The stand-in set, as catalog entries.</summary>
public static class StandInDetectors
{
    public static IReadOnlyList<DetectorInfo> All { get; } =
        typeof(StandInDetectors).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(StandInDetectors).Namespace && typeof(ISignalDetector).IsAssignableFrom(t) && !t.IsAbstract)
            .Select(t => (Attribute: (SignalAttribute)Attribute.GetCustomAttribute(t, typeof(SignalAttribute))!, Type: t))
            .Select(x => new DetectorInfo(x.Attribute.Name, x.Attribute.Family, x.Attribute.Weight, (ISignalDetector)Activator.CreateInstance(x.Type)!))
            .ToArray();
}

[Signal("standin.reporterAccountAge", SignalFamily.Reporter, Weight = 1.5)]
internal sealed class StandInReporterAge : ISignalDetector
{
    public Signal? Detect(ReportContext c) => c.AgeAtReport(c.Reporter) is not { } age ? null
        : new Signal(age.TotalDays < 7 ? 1 - age.TotalDays / 14 : age.TotalDays > 90 ? -0.3 : 0, age.TotalDays, "days", "reporter age");
}

[Signal("standin.reporterPresence", SignalFamily.Reporter, Weight = 1.5)]
internal sealed class StandInReporterPresence : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        if (c.Presence is not { HasAttendance: true } p || c.Reporter is null) return null;
        if (!p.IsParticipant(c.Reporter.AccountId)) return new Signal(1, 0, "minutes", "reporter not in meeting");
        var minutes = p.TimePresent(c.Reporter.AccountId)?.TotalMinutes;
        return new Signal(minutes < c.Options.BriefPresenceMinutes ? 0.8 : -0.3, minutes, "minutes", "reporter presence");
    }
}

[Signal("standin.speakerAbsentAtClaim", SignalFamily.Claims, Weight = 2)]
internal sealed class StandInSpeakerAbsent : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        if (c.Presence is null || c.Report.Claims is not { OccurredAt: { } at, SpeakerAccountId: { } speaker }) return null;
        return c.Presence.WasPresentAt(speaker, at, c.Options.ClockSkew) switch
        {
            true => new Signal(-0.4, 1, "flag", "speaker present"),
            false => new Signal(1, 0, "flag", "speaker absent"),
            null => null,
        };
    }
}

[Signal("standin.quoteInChat", SignalFamily.Claims)]
internal sealed class StandInQuoteInChat : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        if (c.Report.Claims?.Quote is not { Length: > 0 } quote || c.Meeting?.Chat is not { } chat) return null;
        var found = chat.Any(m => m.Text is { } t && t.Contains(quote, StringComparison.OrdinalIgnoreCase));
        return new Signal(found ? -0.6 : 0.4, found ? 1 : 0, "flag", "quote in chat");
    }
}

[Signal("standin.severeCategory", SignalFamily.Context)]
internal sealed class StandInSevereCategory : ISignalDetector
{
    public Signal? Detect(ReportContext c) => c.Report.Category is not { } category ? null
        : new Signal(c.Options.SevereCategories.Contains(category) ? 1 : 0, null, null, "category");
}

[Signal("standin.internalChannel", SignalFamily.Reporter)]
internal sealed class StandInInternalChannel : ISignalDetector
{
    public Signal? Detect(ReportContext c) => c.Report.Channel is not { } channel ? null
        : new Signal(channel == "internal" ? 1 : 0, null, null, "channel");
}

[Signal("standin.atRiskMeeting", SignalFamily.Context)]
internal sealed class StandInAtRiskMeeting : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        if (c.Meeting is null) return null;
        var text = (c.Meeting.Title + " " + string.Join(' ', c.Meeting.Tags ?? [])).ToLowerInvariant();
        return new Signal(c.Options.AtRiskTopics.Any(text.Contains) ? 1 : 0, null, null, "at-risk topic");
    }
}

[Signal("standin.accusedAccountAge", SignalFamily.Accused)]
internal sealed class StandInAccusedAge : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        var ages = c.Accused.Select(c.AgeAtReport).Where(a => a is not null).Select(a => a!.Value.TotalDays).ToArray();
        return ages.Length == 0 ? null : new Signal(ages.Min() < 7 ? 1 : 0, ages.Min(), "days", "accused age");
    }
}

[Signal("standin.accusedImitatesHost", SignalFamily.Accused)]
internal sealed class StandInAccusedImitatesHost : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        if (c.Meeting?.HostAccountId is not { } hostId || c.Accused.Count == 0) return null;
        var hostName = c.Meeting.Participants?.FirstOrDefault(p => p.AccountId == hostId)?.DisplayName;
        if (hostName is null) return null;
        static string Letters(string s) => new(s.ToLowerInvariant().Where(char.IsLetter).ToArray());
        var imitates = c.Accused.Any(a => a.AccountId != hostId && a.DisplayName is { } n && Letters(n).StartsWith(Letters(hostName)[..Math.Min(6, Letters(hostName).Length)], StringComparison.Ordinal));
        return new Signal(imitates ? 1 : 0, null, null, "accused imitates host");
    }
}

[Signal("standin.accusedSharesNetwork", SignalFamily.Accused, Weight = 2)]
internal sealed class StandInAccusedSharesNetwork : ISignalDetector
{
    public Signal? Detect(ReportContext c)
    {
        var session = c.Report.ReporterSession;
        if (session is null || c.Accused.Count == 0) return null;
        static string? Range(string? ip) => ip is null || ip.LastIndexOf('.') < 0 ? null : ip[..ip.LastIndexOf('.')];
        var shared = c.Accused.Any(a => (Range(a.SignupIp) is { } r && r == Range(session.Ip)) || (a.DeviceIds?.Contains(session.DeviceId ?? "") ?? false));
        return new Signal(shared ? 1 : 0, null, null, "shares network");
    }
}

[Signal("standin.evidenceCount", SignalFamily.Evidence, Weight = 0.5)]
internal sealed class StandInEvidenceCount : ISignalDetector
{
    public Signal? Detect(ReportContext c) => new(c.Report.Evidence is { Count: > 0 } e ? -0.2 * Math.Min(e.Count, 3) : 0.2, c.Report.Evidence?.Count ?? 0, "count", "evidence items");
}
