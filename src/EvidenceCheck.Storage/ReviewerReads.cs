using System.Globalization;

namespace EvidenceCheck.Storage;

/// <summary>A report filed by the same reporter account, for the reviewer's "reporter history".</summary>
public sealed record ReporterReport(string ReportId, DateTimeOffset ReceivedAt, string? Category, string? Subject, double? Score, string? Level, string? Decision);

/// <summary>Small reads the reviewer page needs beyond <see cref="ReportQueries"/>: a reporter's other reports, campaign sizes.</summary>
public sealed class ReviewerReads(StorageOptions options)
{
    public IReadOnlyList<ReporterReport> ByReporter(string reporterId, int limit = 50)
    {
        using var c = SqliteSchema.Open(options, readOnly: true);
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT report_id, received_at, category, subject, score, level, decision FROM reports WHERE reporter_id = $r ORDER BY seq DESC LIMIT $limit";
        cmd.Parameters.AddWithValue("$r", reporterId);
        cmd.Parameters.AddWithValue("$limit", limit);
        var list = new List<ReporterReport>();
        using var r = cmd.ExecuteReader();
        while (r.Read())
            list.Add(new ReporterReport(r.GetString(0), DateTimeOffset.Parse(r.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetDouble(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6)));
        return list;
    }

    /// <summary>Reports per campaign (following merges) for the queue's "campaign size" column.</summary>
    public IReadOnlyDictionary<string, int> CampaignSizes(IEnumerable<string> campaignIds)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        using var c = SqliteSchema.Open(options, readOnly: true);
        foreach (var id in campaignIds.Distinct())
        {
            var current = id;
            for (var hops = 0; hops < 64; hops++)
            {
                using var cmd = c.CreateCommand();
                cmd.CommandText = "SELECT merged_into, reports FROM campaigns WHERE campaign_id = $c";
                cmd.Parameters.AddWithValue("$c", current);
                using var r = cmd.ExecuteReader();
                if (!r.Read()) break;
                if (r.IsDBNull(0)) { sizes[id] = r.GetInt32(1); break; }
                current = r.GetString(0);
            }
        }
        return sizes;
    }

    public bool IsEmpty()
    {
        using var c = SqliteSchema.Open(options, readOnly: true);
        return (long)SqliteSchema.Scalar(c, "SELECT count(*) FROM (SELECT 1 FROM reports LIMIT 1)")! == 0;
    }
}
