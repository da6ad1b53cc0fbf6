using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Learning.Simulation;

/// <summary>
/// The ground truth of one simulated report, kept in its own file so the report lines stay plain
/// v1 reports and a scorer can never read its answer.
/// </summary>
/// <param name="CampaignId">The incident that produced the report: several reports of one raid, batch or campaign share it.</param>
public sealed record ReportLabel(string ReportId, bool Fabricated, string Family, string CampaignId);

public sealed record LabelledReport(Report Report, ReportLabel Label);

/// <summary>The report families of the simulator (issue 4). Genuine ones are as much the point as fabricated ones.</summary>
public static class Families
{
    public const string Established = "genuine.established";
    public const string Newcomer = "genuine.newcomer";
    public const string Raid = "genuine.raid";
    public const string ImpersonationVictim = "genuine.impersonationVictim";
    public const string StaffEscalation = "genuine.staffEscalation";
    public const string HonestMistake = "genuine.honestMistake";
    public const string ScreenPhoto = "genuine.screenPhoto";

    public const string FreshBatch = "fabricated.freshBatch";
    public const string FakeProfile = "fabricated.fakeProfile";
    public const string Infiltrator = "fabricated.infiltrator";
    public const string Sleeper = "fabricated.sleeper";
    public const string DoctoredScreenshot = "fabricated.doctoredScreenshot";
    public const string ForgedEmail = "fabricated.forgedEmail";
    public const string ReusedFile = "fabricated.reusedFile";
    public const string InternalPressure = "fabricated.internalPressure";

    public static readonly string[] Genuine = [Established, Newcomer, Raid, ImpersonationVictim, StaffEscalation, HonestMistake, ScreenPhoto];
    public static readonly string[] Fabricated = [FreshBatch, FakeProfile, Infiltrator, Sleeper, DoctoredScreenshot, ForgedEmail, ReusedFile, InternalPressure];
    public static readonly string[] All = [.. Genuine, .. Fabricated];

    public static bool IsFabricated(string family) => family.StartsWith("fabricated.", StringComparison.Ordinal);
}
