namespace EvidenceCheck.Core.Signals.Reporter;

/// <summary>
/// Whether the report came through the internal channel (staff or a liaison) rather than the
/// product. In the seed case an insider pushed fabricated reports this way to skip the usual
/// checks; staff escalations are usually genuine, so this only asks for the same scrutiny.
/// </summary>
[Signal("reporter.internalChannel", SignalFamily.Reporter, Weight = 0.6)]
public sealed class ReporterInternalChannelDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context) => context.Report.Channel switch
    {
        null => null,
        "internal" => new Signal(1.0, 1, "flag", "The report was filed through the internal channel, not by a user in the product."),
        var channel => new Signal(0, 0, "flag", $"The report was filed through the {channel} channel."),
    };
}
