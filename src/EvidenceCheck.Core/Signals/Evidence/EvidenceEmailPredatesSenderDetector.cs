using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether an email is dated before the platform account that uses its From address existed. Fake
/// profiles "in the victim's name" come with fresh mailboxes; an email from such an address dated
/// before the account was made is likely back-dated to give the fake a history.
/// </summary>
[Signal("evidence.emailPredatesSender", SignalFamily.Evidence, Weight = 1.0)]
public sealed class EvidenceEmailPredatesSenderDetector : ISignalDetector
{
    /// <summary>People often use a mailbox for a while before joining a platform: only a gap longer than this fires fully.</summary>
    private static readonly TimeSpan FullStrengthAfter = TimeSpan.FromDays(7);

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, Measure);

    private static Signal? Measure(EvidenceFacts f, ReportContext context)
    {
        if (f.EmailDate is not { } date || f.EmailFrom is not { Length: > 0 } from) return null;
        var sender = context.Accused.Append(context.Reporter)
            .FirstOrDefault(a => a is not null && string.Equals(a.Email?.Trim(), from, StringComparison.OrdinalIgnoreCase));
        if (sender?.CreatedAt is not { } created) return null;
        var name = EvidenceItems.Name(f) + EvidenceItems.Provenance(f);
        var gap = created - date;
        if (gap <= context.Options.ClockSkew)
            return new Signal(0, 0, "days", $"{name} is dated {Describe.Time(date)}, after {Describe.Account(sender)} was created ({Describe.Time(created)}).");
        return new Signal(EvidenceItems.Ramp(gap.TotalDays, 0, FullStrengthAfter.TotalDays, 0.4), Describe.Days(gap), "days",
            $"{name} from {from} is dated {Describe.Time(date)}, {Describe.Duration(gap)} before the account {Describe.Account(sender)} using that address was created ({Describe.Time(created)}).");
    }
}
