namespace EvidenceCheck.Learning.Evaluation;

/// <summary>Ranking and threshold metrics for a binary "fabricated" score. Positives = fabricated.</summary>
public static class Metrics
{
    /// <summary>ROC-AUC: the chance a random fabricated report outranks a random genuine one (ties count half).</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double rankSumPositive = 0;
        long positives = 0, negatives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var averageRank = (start + end) / 2.0 + 1; // tied scores share the mean rank
            for (var k = start; k <= end; k++)
                if (positive[order[k]]) { rankSumPositive += averageRank; positives++; } else negatives++;
            start = end + 1;
        }
        if (positives == 0 || negatives == 0) return double.NaN;
        return (rankSumPositive - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }

    /// <summary>One point per distinct threshold, from the highest score down.</summary>
    public sealed record CurvePoint(double Threshold, double Recall, double Precision, double FalsePositiveRate);

    public static IReadOnlyList<CurvePoint> Curve(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var totalPositive = positive.Count(p => p);
        var totalNegative = positive.Count - totalPositive;
        var points = new List<CurvePoint>();
        long tp = 0, fp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            if (positive[order[k]]) tp++; else fp++;
            if (k + 1 < order.Length && scores[order[k + 1]] == scores[order[k]]) continue; // ties enter together
            points.Add(new CurvePoint(scores[order[k]], Ratio(tp, totalPositive), Ratio(tp, tp + fp), Ratio(fp, totalNegative)));
        }
        return points;
    }

    /// <summary>PR-AUC as average precision: Σ (Rₖ − Rₖ₋₁) · Pₖ over thresholds (no optimistic interpolation).</summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positive)
    {
        double ap = 0, previousRecall = 0;
        foreach (var p in Curve(scores, positive))
        {
            ap += (p.Recall - previousRecall) * p.Precision;
            previousRecall = p.Recall;
        }
        return ap;
    }

    /// <summary>The highest recall reachable while the false-positive rate stays at or below <paramref name="maxFpr"/>.</summary>
    public static double RecallAtFpr(IReadOnlyList<double> scores, IReadOnlyList<bool> positive, double maxFpr)
    {
        double best = 0;
        foreach (var p in Curve(scores, positive))
            if (p.FalsePositiveRate <= maxFpr) best = Math.Max(best, p.Recall);
        return best;
    }

    public sealed record AtThreshold(double Precision, double Recall, double FalsePositiveRate, double FlagRate);

    /// <summary>Precision and recall when everything scoring at or above <paramref name="threshold"/> is flagged.</summary>
    public static AtThreshold At(IReadOnlyList<double> scores, IReadOnlyList<bool> positive, double threshold)
    {
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var flagged = scores[i] >= threshold;
            if (positive[i]) { if (flagged) tp++; else fn++; }
            else if (flagged) fp++; else tn++;
        }
        return new AtThreshold(Ratio(tp, tp + fp), Ratio(tp, tp + fn), Ratio(fp, fp + tn), Ratio(tp + fp, scores.Count));
    }

    private static double Ratio(long a, long b) => b == 0 ? double.NaN : a / (double)b;

    /// <summary>Mean squared error of the probability: 0 is perfect, 0.25 is a coin.</summary>
    public static double Brier(IReadOnlyList<double> scores, IReadOnlyList<bool> positive) =>
        scores.Count == 0 ? double.NaN : scores.Select((s, i) => (s - (positive[i] ? 1 : 0)) * (s - (positive[i] ? 1 : 0))).Average();

    public sealed record CalibrationBin(double From, double To, int Reports, double MeanScore, double ShareFabricated);

    /// <summary>Reliability table: reports binned by score, each bin's mean score beside the share that was fabricated.</summary>
    public static IReadOnlyList<CalibrationBin> Calibration(IReadOnlyList<double> scores, IReadOnlyList<bool> positive, int bins = 10)
    {
        var result = new List<CalibrationBin>();
        for (var b = 0; b < bins; b++)
        {
            double from = b / (double)bins, to = (b + 1) / (double)bins;
            var members = Enumerable.Range(0, scores.Count).Where(i => scores[i] >= from && (scores[i] < to || (b == bins - 1 && scores[i] <= to))).ToArray();
            if (members.Length == 0) continue;
            result.Add(new CalibrationBin(from, to, members.Length, members.Average(i => scores[i]), members.Count(i => positive[i]) / (double)members.Length));
        }
        return result;
    }

    /// <summary>Expected calibration error: the report-weighted mean gap between score and observed share over the bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<CalibrationBin> bins)
    {
        var total = bins.Sum(b => b.Reports);
        return total == 0 ? double.NaN : bins.Sum(b => b.Reports * Math.Abs(b.MeanScore - b.ShareFabricated)) / total;
    }
}
