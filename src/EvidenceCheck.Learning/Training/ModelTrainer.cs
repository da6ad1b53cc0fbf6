using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Newtonsoft.Json;

namespace EvidenceCheck.Learning.Training;

/// <summary>
/// The trainer's settings, with their defaults. Fixed before any test data is seen; never tuned on
/// a test split (evaluate uses a fresh seed the model never saw).
/// </summary>
public sealed class TrainingOptions
{
    /// <summary>Seeds ML.NET and the train/calibration split: the same data and seed give the same model.</summary>
    public int Seed { get; set; } = 20200604;
    public int NumberOfTrees { get; set; } = 100;
    public int NumberOfLeaves { get; set; } = 16;
    /// <summary>Keeps leaves from memorising a handful of reports.</summary>
    public int MinimumExampleCountPerLeaf { get; set; } = 20;
    public double LearningRate { get; set; } = 0.2;
    /// <summary>Share of incidents held out to fit the Platt calibration (never used to grow trees).</summary>
    public double CalibrationShare { get; set; } = 0.2;
    /// <summary>Threads for FastTree; null = all cores.</summary>
    public int? Threads { get; set; }
}

/// <summary>
/// Trains the binary classifier: FastTree (gradient-boosted trees, ML.NET) over the scorer's named
/// feature vector, then a Platt calibration fitted on held-out incidents.
///
/// Why FastTree rather than LightGBM: it is fully managed (no native library to ship or break on a
/// new machine), deterministic with MLContext's seed, fast enough here (see the benchmark), and its
/// trees are public (<see cref="TreeEnsembleModelParameters.TrainedTreeEnsemble"/>), which lets
/// <see cref="TrainedModel"/> walk them itself for fast per-feature attributions. LightGBM would add
/// a native dependency for accuracy we do not need on a few dozen mostly-bounded features.
/// </summary>
public static class ModelTrainer
{
    /// <summary>One training row as ML.NET sees it; the vector's size is set at run time from the catalog.</summary>
    public sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    /// <summary>ML.NET's outputs, for checks against <see cref="TrainedModel"/>.</summary>
    public sealed class Output
    {
        public float Score { get; set; }
        public float Probability { get; set; }
    }

    /// <param name="Trees">The FastTree transformer alone (before the held-out calibration), e.g. for ML.NET's own feature contributions.</param>
    public sealed record Result(TrainedModel Model, ITransformer MlNetModel, DataViewSchema InputSchema, MLContext Context,
        BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> Trees);

    public static SchemaDefinition Schema(int featureCount)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return schema;
    }

    public static Result Train(FeatureTable table, TrainingOptions options, DateTimeOffset trainedAt)
    {
        var n = table.FeatureNames.Count;
        if (n == 0) throw new InvalidOperationException("No detectors: there is no feature to train on.");
        if (table.Rows.Length == 0) throw new InvalidOperationException("No labelled reports to train on.");
        if (table.Fabricated.All(f => f) || table.Fabricated.All(f => !f)) throw new InvalidOperationException("Training needs both fabricated and genuine reports.");

        // Split by incident: reports of one raid or one campaign are near-copies, and must not sit on both sides.
        var random = new Random(options.Seed);
        var groups = table.Groups.Distinct(StringComparer.Ordinal).OrderBy(g => g, StringComparer.Ordinal).ToArray();
        var calibrationGroups = groups.OrderBy(_ => random.Next()).Take((int)Math.Round(groups.Length * options.CalibrationShare)).ToHashSet(StringComparer.Ordinal);
        var trainIdx = new List<int>();
        var calibrationIdx = new List<int>();
        for (var i = 0; i < table.Rows.Length; i++) (calibrationGroups.Contains(table.Groups[i]) ? calibrationIdx : trainIdx).Add(i);
        if (calibrationIdx.Count == 0 || !calibrationIdx.Any(i => table.Fabricated[i]) || calibrationIdx.All(i => table.Fabricated[i]))
        {
            // Too small to hold incidents out: calibrate on the training rows (documented in the model file by CalibrationReports = 0).
            calibrationIdx = [];
        }

        var ml = new MLContext(seed: options.Seed);
        var schema = Schema(n);
        var trainView = ml.Data.LoadFromEnumerable(trainIdx.Select(i => new Row { Label = table.Fabricated[i], Features = table.Rows[i] }), schema);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            NumberOfTrees = options.NumberOfTrees,
            NumberOfLeaves = options.NumberOfLeaves,
            MinimumExampleCountPerLeaf = options.MinimumExampleCountPerLeaf,
            LearningRate = options.LearningRate,
            NumberOfThreads = options.Threads,
        });
        var trees = trainer.Fit(trainView);

        var calibrationView = calibrationIdx.Count > 0
            ? ml.Data.LoadFromEnumerable(calibrationIdx.Select(i => new Row { Label = table.Fabricated[i], Features = table.Rows[i] }), schema)
            : trainView;
        var platt = ml.BinaryClassification.Calibrators.Platt(labelColumnName: nameof(Row.Label), scoreColumnName: "Score")
            .Fit(trees.Transform(calibrationView));
        var chain = new TransformerChain<ITransformer>(trees, platt);
        // The calibrator's parameters are exposed through the prediction-transformer interface only.
        var calibrator = ((ISingleFeaturePredictionTransformer<PlattCalibrator>)platt).Model;

        var ensemble = trees.Model.SubModel.TrainedTreeEnsemble;
        var document = new ModelDocument
        {
            FeatureNames = [.. table.FeatureNames],
            TrainedAt = trainedAt,
            Options = options,
            TrainingReports = trainIdx.Count,
            CalibrationReports = calibrationIdx.Count,
            TrainingFabricatedShare = Math.Round(table.Fabricated.Count(f => f) / (double)table.Fabricated.Length, 4),
            Bias = ensemble.Bias,
            PlattSlope = calibrator.Slope,
            PlattOffset = calibrator.Offset,
        };
        var leafCounts = ensemble.Trees.Select(t => new long[t.NumberOfLeaves]).ToArray();
        foreach (var i in trainIdx)
            for (var t = 0; t < ensemble.Trees.Count; t++) leafCounts[t][LeafOf(ensemble.Trees[t], table.Rows[i])]++;
        for (var t = 0; t < ensemble.Trees.Count; t++)
            document.Trees.Add(ToDocument(ensemble.Trees[t], ensemble.TreeWeights[t], leafCounts[t]));
        document.ModelVersion = VersionOf(document);
        return new Result(new TrainedModel(document), chain, trainView.Schema, ml, trees);
    }

    /// <summary>Writes one model file: model.json (what <see cref="TrainedModel"/> reads) and the ML.NET model it came from.</summary>
    public static void Save(Result result, string path, IEnumerable<int>? trainingSeeds = null)
    {
        if (trainingSeeds is not null) result.Model.Document.TrainingSeeds = [.. trainingSeeds.Distinct().Order()];
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        using var file = File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        using (var writer = new StreamWriter(zip.CreateEntry(TrainedModel.DocumentEntry).Open(), new UTF8Encoding(false)))
            writer.Write(JsonConvert.SerializeObject(result.Model.Document, TrainedModel.JsonSettings));
        using var mlnet = zip.CreateEntry(TrainedModel.MlNetEntry, CompressionLevel.NoCompression).Open();
        using var buffer = new MemoryStream();
        result.Context.Model.Save(result.MlNetModel, result.InputSchema, buffer);
        buffer.Position = 0;
        buffer.CopyTo(mlnet);
    }

    /// <summary>Loads the ML.NET model kept beside model.json (for parity checks; scoring never needs it).</summary>
    public static ITransformer LoadMlNet(MLContext ml, string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var entry = zip.GetEntry(TrainedModel.MlNetEntry)!.Open();
        using var buffer = new MemoryStream();
        entry.CopyTo(buffer);
        buffer.Position = 0;
        return ml.Model.Load(buffer, out _);
    }

    /// <summary>Simulated report ids are "r-SEED-NNNNNN": the seeds a data set came from.</summary>
    public static List<int> SeedsOf(IEnumerable<string> reportIds) =>
        reportIds.Select(id => id.Split('-')).Where(p => p.Length == 3 && p[0] == "r")
            .Select(p => int.TryParse(p[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : (int?)null)
            .OfType<int>().Distinct().Order().ToList();

    private static int LeafOf(RegressionTree tree, float[] x)
    {
        if (tree.NumberOfNodes == 0) return 0;
        var node = 0;
        while (true)
        {
            var child = x[tree.NumericalSplitFeatureIndexes[node]] <= tree.NumericalSplitThresholds[node] ? tree.LeftChild[node] : tree.RightChild[node];
            if (child < 0) return ~child;
            node = child;
        }
    }

    private static TreeDocument ToDocument(RegressionTree tree, double weight, long[] leafCounts)
    {
        if (tree.CategoricalSplitFlags.Any(c => c)) throw new NotSupportedException("Categorical splits are not used: every feature is a number.");
        var nodes = tree.NumberOfNodes;
        var doc = new TreeDocument
        {
            Weight = weight,
            Split = [.. tree.NumericalSplitFeatureIndexes],
            Threshold = [.. tree.NumericalSplitThresholds],
            Left = [.. tree.LeftChild],
            Right = [.. tree.RightChild],
            LeafValue = [.. tree.LeafValues],
            NodeMean = new double[nodes],
        };
        // Mean output below each node, weighted by how many training reports reached each leaf.
        (double Sum, long Count) Below(int child) => child < 0
            ? (doc.LeafValue[~child] * leafCounts[~child], leafCounts[~child])
            : Visit(child);
        (double Sum, long Count) Visit(int node)
        {
            var (ls, lc) = Below(doc.Left[node]);
            var (rs, rc) = Below(doc.Right[node]);
            var count = lc + rc;
            doc.NodeMean[node] = count > 0 ? (ls + rs) / count : 0.5 * (MeanOf(doc.Left[node]) + MeanOf(doc.Right[node]));
            return (ls + rs, count);
        }
        double MeanOf(int child) => child < 0 ? doc.LeafValue[~child] : doc.NodeMean[child];
        if (nodes > 0) Visit(0);
        return doc;
    }

    private static string VersionOf(ModelDocument d)
    {
        var json = JsonConvert.SerializeObject(new { d.FeatureNames, d.Trees, d.Bias, d.PlattSlope, d.PlattOffset });
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..8];
        return $"fasttree-{d.TrainedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}-{hash}";
    }
}
