using System.Globalization;
using Newtonsoft.Json;

namespace EvidenceCheck.Core.Contract;

/// <summary>
/// Writes a <see cref="ScoreResult"/> as the response JSON by hand: the score path writes one per
/// report, and reflection-based serialisation cost more than all the detectors together.
/// A test keeps it equal to <see cref="ContractJson.Serialize"/>.
/// </summary>
public static class ScoreJson
{
    public static void Write(TextWriter output, ScoreResult r)
    {
        using var w = new JsonTextWriter(output) { CloseOutput = false, Formatting = Formatting.None };
        w.WriteStartObject();
        w.WritePropertyName("reportId"); w.WriteValue(r.ReportId);
        w.WritePropertyName("score"); w.WriteValue(r.Score);
        w.WritePropertyName("level"); w.WriteValue(r.Level);
        w.WritePropertyName("flagged"); w.WriteValue(r.Flagged);
        w.WritePropertyName("reasons");
        w.WriteStartArray();
        foreach (var reason in r.Reasons)
        {
            w.WriteStartObject();
            w.WritePropertyName("signal"); w.WriteValue(reason.Signal);
            w.WritePropertyName("value"); w.WriteValue(reason.Value);
            w.WritePropertyName("unit"); w.WriteValue(reason.Unit);
            w.WritePropertyName("contribution"); w.WriteValue(reason.Contribution);
            w.WritePropertyName("detail"); w.WriteValue(reason.Detail);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WritePropertyName("campaign");
        if (r.Campaign is not { } c) w.WriteNull();
        else
        {
            w.WriteStartObject();
            w.WritePropertyName("campaignId"); w.WriteValue(c.CampaignId);
            w.WritePropertyName("reports"); w.WriteValue(c.Reports);
            w.WritePropertyName("reporters"); w.WriteValue(c.Reporters);
            w.WritePropertyName("links");
            w.WriteStartArray();
            foreach (var link in c.Links) w.WriteValue(link);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WritePropertyName("modelVersion"); w.WriteValue(r.ModelVersion);
        w.WritePropertyName("scoredAt"); w.WriteRawValue("\"" + r.ScoredAt.ToString(ContractJson.TimestampFormat, CultureInfo.InvariantCulture) + "\"");
        w.WriteEndObject();
    }

    public static string ToJson(ScoreResult r)
    {
        var s = new StringWriter(CultureInfo.InvariantCulture);
        Write(s, r);
        return s.ToString();
    }
}
