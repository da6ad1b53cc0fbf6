using EvidenceCheck.Core.Evidence;

namespace EvidenceCheck.Core.Signals.Evidence;

/// <summary>
/// Whether an email's Date (written by the sender, trivially set to anything) agrees with the
/// Received chain (stamped by each server it passed) and the DKIM signing time. A message
/// back-dated to look older than it is keeps the servers' real times; hops that go back in time
/// mean the headers were edited.
/// </summary>
[Signal("evidence.emailDateVsReceived", SignalFamily.Evidence, Weight = 1.5)]
public sealed class EvidenceEmailDateVsReceivedDetector : ISignalDetector
{
    /// <summary>Outboxes queue, and phones send when they get signal: a Date some hours before the first hop is ordinary.</summary>
    private static readonly TimeSpan QueueAllowance = TimeSpan.FromHours(2);
    private static readonly TimeSpan FullStrengthAfter = TimeSpan.FromDays(1);
    /// <summary>Server clocks disagree by seconds to minutes; more than this backwards between hops is not clock drift.</summary>
    private static readonly TimeSpan HopSkew = TimeSpan.FromMinutes(15);

    public Signal? Detect(ReportContext context) =>
        EvidenceItems.Strongest(context, EvidenceItems.Readable, static (f, _) => Measure(f));

    private static Signal? Measure(EvidenceFacts f)
    {
        if (f.EmailDate is not { } date) return null;
        var name = EvidenceItems.Name(f) + EvidenceItems.Provenance(f);
        var findings = new List<Signal>();
        if (f.ReceivedTimes is { Count: > 0 } hops)
        {
            var first = hops[0];
            var early = first - date;
            if (early > QueueAllowance)
                findings.Add(new Signal(EvidenceItems.Ramp(early.TotalHours, QueueAllowance.TotalHours, FullStrengthAfter.TotalHours, 0.3), Describe.Minutes(early), "minutes",
                    $"{name} is dated {Describe.Time(date)}, but its first server received it at {Describe.Time(first)}, {Describe.Duration(early)} later: the Date looks back-dated."));
            else if (-early > HopSkew)
                findings.Add(new Signal(0.6, Describe.Minutes(-early), "minutes",
                    $"{name} is dated {Describe.Time(date)}, {Describe.Duration(early)} after its first server received it at {Describe.Time(first)}."));
            for (var i = 1; i < hops.Count; i++)
                if (hops[i] < hops[i - 1] - HopSkew)
                {
                    findings.Add(new Signal(0.8, Describe.Minutes(hops[i - 1] - hops[i]), "minutes",
                        $"{name}'s Received chain goes back in time: hop {i + 1} is stamped {Describe.Time(hops[i])}, {Describe.Duration(hops[i - 1] - hops[i])} before hop {i} ({Describe.Time(hops[i - 1])})."));
                    break;
                }
        }
        // The signer stamps t= when it signs, which is when the message was really sent.
        if (f.DkimTimestamp is { } signedAt && (signedAt - date) > QueueAllowance)
            findings.Add(new Signal(EvidenceItems.Ramp((signedAt - date).TotalHours, QueueAllowance.TotalHours, FullStrengthAfter.TotalHours, 0.3), Describe.Minutes(signedAt - date), "minutes",
                $"{name} is dated {Describe.Time(date)}, but its DKIM signature was made at {Describe.Time(signedAt)}, {Describe.Duration(signedAt - date)} later."));
        if (findings.Count > 0) return findings.MaxBy(s => s.Strength);
        return f.ReceivedTimes is { Count: > 0 } || f.DkimTimestamp is not null
            ? new Signal(0, 0, "minutes", $"{name}'s Date agrees with its servers' timestamps.")
            : null;
    }
}
