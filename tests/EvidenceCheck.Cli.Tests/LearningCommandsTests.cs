using EvidenceCheck.Cli.Commands;

namespace EvidenceCheck.Cli.Tests;

/// <summary>simulate → train → evaluate, in-process, on a tiny data set (the real detector catalogue).</summary>
public sealed class LearningCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ec-learning-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private async Task<(int Code, string Error)> Run(params string[] args)
    {
        var error = new StringWriter();
        var io = new CliIo(new StringReader(""), new StringWriter(), error, false);
        var code = await Program.RunAsync(args, io, CancellationToken.None);
        return (code, error.ToString());
    }

    private string In(string name) => Path.Combine(_folder, name);

    [Fact]
    public async Task SimulateTrainEvaluate_WritesModelReportAndPicture_AndRefusesTheTrainingSeed()
    {
        Assert.Equal(0, (await Run("simulate", "--seed", "3", "--scale", "0.03", "--out", In("r.jsonl"), "--labels", In("l.jsonl"))).Code);
        Assert.Equal(File.ReadLines(In("r.jsonl")).Count(), File.ReadLines(In("l.jsonl")).Count());

        var train = await Run("train", "--data", In("r.jsonl"), "--labels", In("l.jsonl"), "--out", In("model.zip"), "--trees", "20");
        Assert.True(train.Code == 0, train.Error);

        var sameSeed = await Run("evaluate", "--model", In("model.zip"), "--seed", "3", "--out", In("eval.md"));
        Assert.Equal(2, sameSeed.Code);
        Assert.Contains("trained on seed 3", sameSeed.Error);

        var evaluate = await Run("evaluate", "--model", In("model.zip"), "--seed", "4", "--scale", "0.03", "--train-scale", "0.03",
            "--out", In("docs/eval.md"), "--plot", In("docs/pr.png"));
        Assert.True(evaluate.Code == 0, evaluate.Error);
        var markdown = File.ReadAllText(In("docs/eval.md"));
        Assert.Contains("| ROC-AUC |", markdown);
        Assert.Contains("## Leave one family out", markdown);
        Assert.Contains("![Precision–recall curve](pr.png)", markdown);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(In("docs/pr.png"))[..4]);
    }

    [Fact]
    public async Task Train_WithoutDetectors_SaysSoInsteadOfTrainingOnNothing()
    {
        Assert.Equal(0, (await Run("simulate", "--seed", "3", "--scale", "0.01", "--out", In("r.jsonl"), "--labels", In("l.jsonl"))).Code);
        var train = await Run("train", "--data", In("r.jsonl"), "--labels", In("l.jsonl"), "--out", In("model.zip"));
        // On a branch with real detectors this trains; without any it must say why it cannot.
        Assert.True(train.Code == 0 || train.Error.Contains("no detectors"), train.Error);
    }
}
