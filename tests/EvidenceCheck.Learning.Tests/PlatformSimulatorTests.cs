using EvidenceCheck.Core.Contract;
using EvidenceCheck.Learning.Simulation;
using Newtonsoft.Json.Linq;

namespace EvidenceCheck.Learning.Tests;

public sealed class PlatformSimulatorTests
{
    [Fact]
    public void Run_SameSeed_WritesSameBytes_OtherSeedDiffers()
    {
        static string Text(int seed)
        {
            var data = PlatformSimulator.Run(new SimulationOptions { Seed = seed, Scale = 0.01 });
            using var reports = new StringWriter();
            using var labels = new StringWriter();
            PlatformSimulator.Write(data, reports, labels);
            return reports + "\n--\n" + labels;
        }
        var first = Text(3);
        Assert.Equal(first, Text(3));
        Assert.NotEqual(first, Text(4));
    }

    [Fact]
    public void Run_EveryFamily_IsPresentWithItsLabel()
    {
        var data = Some.Reports();
        foreach (var family in Families.All) Assert.Contains(data, d => d.Label.Family == family);
        Assert.All(data, d => Assert.Equal(Families.IsFabricated(d.Label.Family), d.Label.Fabricated));
        Assert.InRange(data.Count(d => d.Label.Fabricated) / (double)data.Count, 0.25, 0.6);
    }

    [Fact]
    public void Write_ReportLines_ArePlainV1Reports_ThatTheReaderAccepts()
    {
        var data = Some.Reports();
        using var reports = new StringWriter();
        using var labels = new StringWriter();
        PlatformSimulator.Write(data, reports, labels);
        var lines = reports.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(data.Count, lines.Length);
        var reader = new ReportReader();
        foreach (var line in lines)
        {
            var parse = reader.Read(line);
            Assert.True(parse.Ok, string.Join("; ", parse.Errors.Select(e => $"{e.Path}: {e.Message}")));
            var json = JObject.Parse(line);
            Assert.Null(json["label"]);
            Assert.Null(json["family"]);
            Assert.Null(json["fabricated"]);
        }
        var labelLines = labels.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(data.Select(d => d.Report.ReportId), labelLines.Select(l => (string)JObject.Parse(l)["reportId"]!));
    }

    [Fact]
    public void Run_ReportIds_AreUniqueAndInArrivalOrder()
    {
        var data = Some.Reports();
        Assert.Equal(data.Count, data.Select(d => d.Report.ReportId).Distinct().Count());
        Assert.True(data.Select(d => d.Report.ReceivedAt!.Value).SequenceEqual(data.Select(d => d.Report.ReceivedAt!.Value).Order()));
    }

    [Fact]
    public void Run_FreshBatch_IsManyNewReportersOnOneMeetingWithinAnHour()
    {
        var batch = Some.Reports().Where(d => d.Label.Family == Families.FreshBatch).GroupBy(d => d.Label.CampaignId).First().ToArray();
        Assert.True(batch.Length >= 4);
        Assert.Single(batch.Select(d => d.Report.Subject!.Meeting!.MeetingId).Distinct());
        var times = batch.Select(d => d.Report.ReceivedAt!.Value).ToArray();
        Assert.True(times.Max() - times.Min() <= TimeSpan.FromHours(1));
        Assert.All(batch, d => Assert.True(d.Report.Reporter!.CreatedAt is null || d.Report.ReceivedAt - d.Report.Reporter.CreatedAt < TimeSpan.FromDays(7)));
    }

    [Fact]
    public void Run_Sleeper_ClaimsATimeTheAccusedWasAbsent_WhileItselfPresentThroughout()
    {
        var sleeper = Some.Reports().First(d => d.Label.Family == Families.Sleeper && d.Report.Claims?.OccurredAt is not null && d.Report.Subject?.Meeting?.Participants is not null).Report;
        var record = new Core.Signals.MeetingRecord(sleeper.Subject!.Meeting!);
        var accused = sleeper.Claims!.SpeakerAccountId!;
        Assert.False(record.WasPresentAt(accused, sleeper.Claims.OccurredAt!.Value, TimeSpan.FromMinutes(1)));
        Assert.True(record.TimePresent(sleeper.Reporter!.AccountId) > TimeSpan.FromMinutes(30));
        Assert.True(sleeper.ReceivedAt - sleeper.Reporter.CreatedAt > TimeSpan.FromDays(180));
    }

    [Fact]
    public void Run_FakeProfile_AccusedImitatesTheHost()
    {
        var report = Some.Reports().First(d => d.Label.Family == Families.FakeProfile).Report;
        var fake = report.Subject!.Accounts![0];
        Assert.NotEqual(report.Subject.Meeting!.HostAccountId, fake.AccountId);
        Assert.True(report.ReceivedAt - fake.CreatedAt < TimeSpan.FromDays(7) || fake.CreatedAt is null);
    }

    [Fact]
    public void Run_ReusedFile_SameBytesAcrossUnrelatedMeetings()
    {
        var campaign = Some.Reports().Where(d => d.Label.Family == Families.ReusedFile).GroupBy(d => d.Label.CampaignId).First().ToArray();
        Assert.True(campaign.Length >= 3);
        Assert.Single(campaign.Select(d => d.Report.Evidence![0].ContentBase64).Distinct());
        Assert.Equal(campaign.Length, campaign.Select(d => d.Report.Subject!.Meeting!.MeetingId).Distinct().Count());
        Assert.Equal(campaign.Length, campaign.Select(d => d.Report.Reporter!.AccountId).Distinct().Count());
    }

    [Fact]
    public void Run_InternalFamilies_UseTheInternalChannel()
    {
        Assert.All(Some.Reports().Where(d => d.Label.Family is Families.InternalPressure && d.Report.Channel is not null),
            d => Assert.Equal("internal", d.Report.Channel));
        Assert.Contains(Some.Reports(), d => d.Label.Family == Families.StaffEscalation && d.Report.Channel == "internal");
    }
}
