using System.IO.Compression;
using System.Text;
using EvidenceCheck.Core.Scoring;
using Newtonsoft.Json;

namespace EvidenceCheck.Learning.Training;

/// <summary>Thrown when a model file does not fit the detectors or contract it is about to meet.</summary>
public sealed class ModelMismatchException(string message) : Exception(message);

/// <summary>
/// The trained model, scoring by walking its trees directly: no ML.NET PredictionEngine on the hot
/// path (not thread-safe, and its feature contributions cost ~6× the prediction). Each feature's
/// contribution is Saabas-style — along the decision path, the change in the training data's mean
/// output at every split on that feature — then mapped through the calibrator's affine log-odds, so
/// the contributions add up to (logit(score) − logit(baseline)). The baseline is the model's output
/// for the average training report (the root means), not for an all-zero vector. Immutable: thread-safe.
/// </summary>
public sealed class TrainedModel : IScoringModel
{
    public const string DocumentEntry = "model.json";
    public const string MlNetEntry = "mlnet-model.zip";

    /// <summary>
    /// One split, with what each branch adds: the change in mean output from this node to the child
    /// (pre-multiplied by the tree's weight). Packed in one struct so a step of the walk reads one cache line.
    /// </summary>
    private readonly struct Node(int split, float threshold, int left, int right, double leftDelta, double rightDelta)
    {
        public readonly int Split = split;
        public readonly float Threshold = threshold;
        public readonly int Left = left;     // next node index, or negative: a leaf (the walk ends)
        public readonly int Right = right;
        public readonly double LeftDelta = leftDelta;
        public readonly double RightDelta = rightDelta;
    }

    private readonly Node[] _nodes;         // all trees, one after another
    private readonly int[] _roots;          // first node of each tree that has a split
    private readonly double _baselineRaw;   // bias + Σ weight × root mean (+ one-leaf trees' values)
    private readonly double _slope, _offset;

    public TrainedModel(ModelDocument document)
    {
        if (document.Format != ModelDocument.CurrentFormat)
            throw new ModelMismatchException($"Model format '{document.Format}' is not '{ModelDocument.CurrentFormat}'.");
        if (document.ContractVersion != ModelDocument.ContractV1)
            throw new ModelMismatchException($"Model was trained on contract {document.ContractVersion}; this build reads {ModelDocument.ContractV1}.");
        Document = document;
        FeatureNames = document.FeatureNames.ToArray();
        _slope = document.PlattSlope;
        _offset = document.PlattOffset;
        var nodes = new List<Node>();
        var roots = new List<int>();
        var baseline = document.Bias;
        for (var t = 0; t < document.Trees.Count; t++)
        {
            var tree = document.Trees[t];
            if (tree.Split.Length == 0) { baseline += tree.Weight * tree.LeafValue[0]; continue; }
            var first = nodes.Count;
            roots.Add(first);
            baseline += tree.Weight * tree.NodeMean[0];
            double MeanOf(int child) => child < 0 ? tree.LeafValue[~child] : tree.NodeMean[child];
            for (var n = 0; n < tree.Split.Length; n++)
            {
                if ((uint)tree.Split[n] >= (uint)FeatureNames.Count)
                    throw new ModelMismatchException($"Tree {t} splits on feature #{tree.Split[n]}, beyond the model's {FeatureNames.Count} features.");
                nodes.Add(new Node(tree.Split[n], tree.Threshold[n],
                    tree.Left[n] >= 0 ? first + tree.Left[n] : -1,
                    tree.Right[n] >= 0 ? first + tree.Right[n] : -1,
                    tree.Weight * (MeanOf(tree.Left[n]) - tree.NodeMean[n]),
                    tree.Weight * (MeanOf(tree.Right[n]) - tree.NodeMean[n])));
            }
        }
        _nodes = [.. nodes];
        _roots = [.. roots];
        _baselineRaw = baseline;
        BaselineProbability = Probability(baseline);
    }

    public ModelDocument Document { get; }
    public string Version => Document.ModelVersion;
    public IReadOnlyList<string> FeatureNames { get; }
    public double BaselineProbability { get; }

    public ModelOutput Predict(ReadOnlySpan<float> features, Span<double> contributions)
    {
        if (features.Length != FeatureNames.Count || contributions.Length < FeatureNames.Count)
            throw new ArgumentException($"Expected {FeatureNames.Count} features (model {Version}), got {features.Length}.");
        var raw = Walk(features, contributions);
        // ML.NET's Platt map is p = 1 / (1 + exp(slope·raw + offset)): log-odds = −slope·raw − offset.
        for (var i = 0; i < FeatureNames.Count; i++) contributions[i] *= -_slope;
        return new ModelOutput(Probability(raw), BaselineProbability);
    }

    /// <summary>The uncalibrated ensemble output (ML.NET's Score column), for checks against ML.NET.</summary>
    public double RawScore(ReadOnlySpan<float> features)
    {
        Span<double> scratch = features.Length <= 256 ? stackalloc double[features.Length] : new double[features.Length];
        return Walk(features, scratch);
    }

    /// <summary>Walks every tree; adds each split's change of mean output to its feature; returns the raw score.</summary>
    private double Walk(ReadOnlySpan<float> features, Span<double> contributions)
    {
        contributions[..FeatureNames.Count].Clear();
        var raw = _baselineRaw;
        var nodes = _nodes;
        foreach (var root in _roots)
        {
            var index = root;
            do
            {
                ref readonly var node = ref nodes[index];
                var f = node.Split;
                double delta;
                if (features[f] <= node.Threshold) { delta = node.LeftDelta; index = node.Left; }
                else { delta = node.RightDelta; index = node.Right; }
                contributions[f] += delta;
                raw += delta;
            } while (index >= 0);
        }
        return raw;
    }

    private double Probability(double raw) => 1.0 / (1.0 + Math.Exp(_slope * raw + _offset));

    /// <summary>Loads a model file (a zip with model.json and the ML.NET model it was taken from).</summary>
    public static TrainedModel Load(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.GetEntry(DocumentEntry) ?? throw new ModelMismatchException($"{path} has no {DocumentEntry}: not an EvidenceCheck model file.");
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        var document = JsonConvert.DeserializeObject<ModelDocument>(reader.ReadToEnd(), JsonSettings)
            ?? throw new ModelMismatchException($"{path}: empty {DocumentEntry}.");
        return new TrainedModel(document);
    }

    /// <summary>Loads a model and refuses it unless it was built for exactly these features, in this order.</summary>
    public static TrainedModel Load(string path, IReadOnlyList<string> expectedFeatures)
    {
        var model = Load(path);
        if (!model.FeatureNames.SequenceEqual(expectedFeatures))
        {
            var added = expectedFeatures.Except(model.FeatureNames).Take(3).ToArray();
            var gone = model.FeatureNames.Except(expectedFeatures).Take(3).ToArray();
            var difference = added.Length + gone.Length == 0 ? "the same features in another order"
                : string.Join("; ", new[] { added.Length > 0 ? "new: " + string.Join(", ", added) : null, gone.Length > 0 ? "gone: " + string.Join(", ", gone) : null }.OfType<string>());
            throw new ModelMismatchException(
                $"Model {model.Version} was trained on {model.FeatureNames.Count} features, these detectors give {expectedFeatures.Count} " +
                $"({difference}). Retrain: evidencecheck train …");
        }
        return model;
    }

    internal static readonly JsonSerializerSettings JsonSettings = new()
    {
        ContractResolver = new Newtonsoft.Json.Serialization.CamelCasePropertyNamesContractResolver(),
        Formatting = Formatting.None,
        FloatFormatHandling = FloatFormatHandling.String,
    };
}
