using EvidenceCheck.Learning.Evaluation;

namespace EvidenceCheck.Learning.Tests;

public sealed class MetricsTests
{
    private static readonly bool[] Labels = [true, true, false, false];

    [Fact]
    public void PerfectRanking_HasAucAndAveragePrecisionOne()
    {
        double[] scores = [0.9, 0.8, 0.2, 0.1];
        Assert.Equal(1.0, Metrics.RocAuc(scores, Labels), 12);
        Assert.Equal(1.0, Metrics.AveragePrecision(scores, Labels), 12);
        Assert.Equal(1.0, Metrics.RecallAtFpr(scores, Labels, 0.0), 12);
    }

    [Fact]
    public void ReversedRanking_HasAucZero()
    {
        double[] scores = [0.1, 0.2, 0.8, 0.9];
        Assert.Equal(0.0, Metrics.RocAuc(scores, Labels), 12);
        Assert.Equal(0.0, Metrics.RecallAtFpr(scores, Labels, 0.4), 12);
    }

    [Fact]
    public void AllTied_HasAucOneHalf_AndPrecisionAtBaseRate()
    {
        double[] scores = [0.5, 0.5, 0.5, 0.5];
        Assert.Equal(0.5, Metrics.RocAuc(scores, Labels), 12);
        Assert.Equal(0.5, Metrics.AveragePrecision(scores, Labels), 12);
    }

    [Fact]
    public void HandWorkedExample_MatchesCountedPairs()
    {
        // Positives at 0.9 and 0.4; negatives at 0.6 and 0.1: 3 of 4 pairs ordered right.
        double[] scores = [0.9, 0.4, 0.6, 0.1];
        Assert.Equal(0.75, Metrics.RocAuc(scores, Labels), 12);
        // Ranked: + (P=1, R=.5), − , + (P=2/3, R=1): AP = .5·1 + .5·2/3.
        Assert.Equal(0.5 + 0.5 * 2 / 3.0, Metrics.AveragePrecision(scores, Labels), 12);
        Assert.Equal(0.5, Metrics.RecallAtFpr(scores, Labels, 0.0), 12);
        Assert.Equal(1.0, Metrics.RecallAtFpr(scores, Labels, 0.5), 12);
        var at = Metrics.At(scores, Labels, 0.5);
        Assert.Equal(0.5, at.Precision, 12);
        Assert.Equal(0.5, at.Recall, 12);
        Assert.Equal(0.5, at.FalsePositiveRate, 12);
        Assert.Equal(0.5, at.FlagRate, 12);
    }

    [Fact]
    public void Calibration_PerfectlyCalibratedBins_HaveNoError()
    {
        // Scores of 0.25 for four reports of which one is fabricated; 0.75 for four of which three are.
        double[] scores = [0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75];
        bool[] positive = [true, false, false, false, true, true, true, false];
        var bins = Metrics.Calibration(scores, positive);
        Assert.Equal(2, bins.Count);
        Assert.Equal(0.0, Metrics.ExpectedCalibrationError(bins), 12);
        Assert.Equal(0.1875, Metrics.Brier(scores, positive), 12);
    }
}
