namespace EvidenceCheck.Core.Signals.Campaign;

/// <summary>
/// Other reporter accounts that used one of this reporter's devices: several "people" on one
/// phone or computer is how sock-puppet accounts look from the platform's side.
/// </summary>
[Signal("campaign.sharedDevice", SignalFamily.Campaign, Weight = 2.5)]
public sealed class SharedDeviceDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Campaign is not { } c) return null;
        if (context.Report.ReporterSession?.DeviceId is null && context.Reporter?.DeviceIds is not { Count: > 0 }) return null;
        var n = c.ReportersSharingDevice;
        var strength = n switch { 0 => 0, 1 => 0.7, _ => 1.0 };
        return new Signal(strength, n, "count",
            n == 0 ? "No other reporter used this reporter's devices." : $"{n} other reporter account{(n == 1 ? "" : "s")} used the same device as this reporter.");
    }
}
