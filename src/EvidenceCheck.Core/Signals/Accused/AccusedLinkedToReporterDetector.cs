namespace EvidenceCheck.Core.Signals.Accused;

/// <summary>
/// Whether an accused account shares a device or a network with the reporter. Someone who
/// creates a fake profile of the victim and then reports it leaves the same device and address
/// on both; a real offender and their accuser have no reason to.
/// </summary>
[Signal("accused.linkedToReporter", SignalFamily.Accused, Weight = 3.0)]
public sealed class AccusedLinkedToReporterDetector : ISignalDetector
{
    public Signal? Detect(ReportContext context)
    {
        if (context.Reporter is not { } reporter || context.Accused.Count == 0) return null;
        var reporterDevices = new HashSet<string>(reporter.DeviceIds ?? [], StringComparer.Ordinal);
        if (context.Report.ReporterSession?.DeviceId is { Length: > 0 } sessionDevice) reporterDevices.Add(sessionDevice);
        var reporterIps = new[] { reporter.SignupIp, context.Report.ReporterSession?.Ip }.Where(ip => !string.IsNullOrEmpty(ip)).ToArray();
        var anyKnown = false;
        foreach (var accused in context.Accused)
        {
            if (accused.AccountId == reporter.AccountId) continue;
            if (accused.DeviceIds is { Count: > 0 } devices)
            {
                anyKnown |= reporterDevices.Count > 0;
                if (devices.FirstOrDefault(reporterDevices.Contains) is { } shared)
                    return new Signal(1.0, 1, "flag", $"The accused account {accused.AccountId} has used device {shared}, which the reporter also uses.");
            }
            if (accused.SignupIp is { Length: > 0 } accusedIp && reporterIps.Length > 0)
            {
                anyKnown = true;
                if (reporterIps.Contains(accusedIp))
                    return new Signal(1.0, 1, "flag", $"The accused account {accused.AccountId} signed up from {accusedIp}, the same address the reporter used.");
            }
        }
        return anyKnown ? new Signal(0, 0, "flag", "The accused accounts share no device or signup address with the reporter.") : null;
    }
}
