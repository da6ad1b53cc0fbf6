using System.Globalization;
using EvidenceCheck.Core.Contract;

namespace EvidenceCheck.Core.Tests.Contract;

/// <summary>The hand-read common shape of a timestamp must read every text exactly as the contract's formats do.</summary>
public class TimestampsTests
{
    private static string Outcome(Func<string, DateTimeOffset> parse, string text)
    {
        try { return parse(text).ToString("O", CultureInfo.InvariantCulture); }
        catch (ContractException e) { return "refused: " + e.Message; }
    }

    public static TheoryData<string> Edges() =>
    [
        "2020-06-03T14:10:00Z", "2020-06-03T14:10:00.250+08:00", "2020-06-03T14:10:00.1234567-05:30", "2020-06-03T14:10:00.12345678Z",
        "2020-06-03T14:10:00.Z", "2020-06-03t14:10:00z", "2020-06-03T14:10:00z", "2020-06-03 14:10:00Z", "2020-06-03T14:10:00+0800",
        "2020-06-03T14:10:00+08", "2020-06-03T14:10:00", "2019-02-29T00:00:00Z", "2020-02-29T00:00:00Z", "2020-06-03T24:00:00Z",
        "2020-06-03T23:60:00Z", "2020-06-03T23:59:60Z", "2020-13-03T00:00:00Z", "2020-00-03T00:00:00Z", "0000-01-01T00:00:00Z",
        "0001-01-01T00:00:00Z", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00-01:00", "9999-12-31T23:59:59.9999999Z",
        "9999-12-31T23:59:59.9999999-01:00", "2020-06-03T14:10:00+14:00", "2020-06-03T14:10:00-14:00", "2020-06-03T14:10:00+14:01",
        "2020-06-03T14:10:00+15:00", "2020-06-03T14:10:00+05:60", "2020-06-03T14:10:00-00:00", "２020-06-03T14:10:00Z",
        "2020-06-03T14:1٠:00Z", "2020-06-03T14:10:00.٥Z", "+2020-06-03T14:10:00Z", "2020-6-03T14:10:00Z", "2020-06-03T14:10:00 Z",
        " 2020-06-03T14:10:00Z", "2020-06-03T14:10:00Z ", "2020-06-03T14:10:00.0000000+00:00", "2020-06-03T14:10:00.9Z",
    ];

    [Theory]
    [MemberData(nameof(Edges))]
    public void Edge_IsReadAsTheFormatsReadIt(string text) =>
        Assert.Equal(Outcome(Timestamps.ParseExactly, text), Outcome(Timestamps.ParseRfc3339, text));

    [Fact]
    public void RandomTimestamps_AreReadAsTheFormatsReadThem()
    {
        var random = new Random(64);
        for (var i = 0; i < 20_000; i++)
        {
            var instant = new DateTime(1, 1, 1).AddTicks((long)(random.NextDouble() * DateTime.MaxValue.Ticks));
            var fraction = random.Next(9) switch { 0 => "", var n => "." + (instant.Ticks % 10_000_000).ToString("D7")[..Math.Min(n, 7)] + (n == 8 ? "1" : "") };
            var offset = random.Next(4) == 0 ? "Z" : $"{(random.Next(2) == 0 ? '+' : '-')}{random.Next(16):D2}:{random.Next(4) * 15 + random.Next(2) * 59 % 60:D2}";
            var text = instant.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + offset;
            Assert.Equal(Outcome(Timestamps.ParseExactly, text), Outcome(Timestamps.ParseRfc3339, text));
        }
    }

    [Fact]
    public void WrittenTimestamps_AreThePatternsBytes()
    {
        var random = new Random(11);
        var edges = new[]
        {
            DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2020, 6, 3, 14, 10, 0, TimeSpan.Zero),
            new DateTimeOffset(2020, 6, 3, 14, 10, 0, 250, TimeSpan.FromHours(8)), new DateTimeOffset(2020, 6, 3, 14, 10, 0, TimeSpan.FromMinutes(-330)),
            new DateTimeOffset(1, 1, 2, 0, 0, 0, TimeSpan.FromHours(14)), new DateTimeOffset(9999, 12, 30, 23, 59, 59, TimeSpan.FromHours(-14)).AddTicks(9_999_999),
            new DateTimeOffset(999, 3, 4, 5, 6, 7, TimeSpan.FromMinutes(-45)).AddTicks(10), new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1_000_000),
        };
        var randoms = Enumerable.Range(0, 20_000).Select(i =>
        {
            var offset = TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1));
            var ticks = random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            // Whole seconds and milliseconds as often as any fraction: they are the common shapes, and trim differently.
            ticks -= (i % 3) switch { 0 => ticks % TimeSpan.TicksPerSecond, 1 => ticks % TimeSpan.TicksPerMillisecond, _ => 0 };
            return new DateTimeOffset(ticks, offset);
        });
        Span<byte> written = stackalloc byte[ContractJson.MaxTimestampLength];
        foreach (var t in edges.Concat(randoms))
        {
            var n = ContractJson.FormatTimestamp(t, written);
            Assert.Equal(t.ToString(ContractJson.TimestampFormat, CultureInfo.InvariantCulture), System.Text.Encoding.ASCII.GetString(written[..n]));
        }
    }
}
