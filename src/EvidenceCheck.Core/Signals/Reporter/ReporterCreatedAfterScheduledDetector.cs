namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// Whether the reporter's account was created after the meeting was announced. Accounts made
/// between announcement and meeting are how a campaign prepares; genuine newcomers also join
/// because of an announcement, so this is weak alone and strong with absence.
/// </summary>
[Signal("reporter.createdAfterScheduled", SignalFamily.Reporter, Weight = 0.7)]
public sealed class ReporterCreatedAfterScheduledDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Reporter?.CreatedAt is not { } created) return null;
        var announced = context.Meeting?.ScheduledAt ?? context.Meeting?.StartedAt;
        if (announced is not { } scheduled) return null;
        var after = created - scheduled;
        if (after <= TimeSpan.Zero)
            return new Signal(0, Describe.Days(after), "days", $"The reporter's account predates the meeting's announcement ({Describe.Time(scheduled)}).");
        return new Signal(1.0, Describe.Days(after), "days",
            $"The reporter's account was created {Describe.Time(created)}, {Describe.Duration(after)} after the meeting was announced ({Describe.Time(scheduled)}).");
    }
}
