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

    // All trees in flat arrays; leaf values and means are pre-multiplied by the tree weight.
    private readonly int[] _roots;          // node index of each tree's root; ~leaf for a one-leaf tree
    private readonly int[] _split;
    private readonly float[] _threshold;
    private readonly int[] _left, _right;   // global node index, or ~global leaf index
    private readonly double[] _nodeMean;
    private readonly double[] _leafValue;
    private readonly double _baselineRaw;   // bias + Σ root means
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
        int nodes = 0, leaves = 0;
        foreach (var t in document.Trees) { nodes += t.Split.Length; leaves += t.LeafValue.Length; }
        (_split, _threshold, _left, _right, _nodeMean) = (new int[nodes], new float[nodes], new int[nodes], new int[nodes], new double[nodes]);
        _leafValue = new double[leaves];
        _roots = new int[document.Trees.Count];
        var baseline = document.Bias;
        int nodeBase = 0, leafBase = 0;
        for (var t = 0; t < document.Trees.Count; t++)
        {
            var tree = document.Trees[t];
            for (var l = 0; l < tree.LeafValue.Length; l++) _leafValue[leafBase + l] = tree.Weight * tree.LeafValue[l];
            for (var n = 0; n < tree.Split.Length; n++)
            {
                if ((uint)tree.Split[n] >= (uint)FeatureNames.Count)
                    throw new ModelMismatchException($"Tree {t} splits on feature #{tree.Split[n]}, beyond the model's {FeatureNames.Count} features.");
                _split[nodeBase + n] = tree.Split[n];
                _threshold[nodeBase + n] = tree.Threshold[n];
                _left[nodeBase + n] = tree.Left[n] >= 0 ? nodeBase + tree.Left[n] : ~(leafBase + ~tree.Left[n]);
                _right[nodeBase + n] = tree.Right[n] >= 0 ? nodeBase + tree.Right[n] : ~(leafBase + ~tree.Right[n]);
                _nodeMean[nodeBase + n] = tree.Weight * tree.NodeMean[n];
            }
            if (tree.Split.Length == 0) { _roots[t] = ~leafBase; baseline += _leafValue[leafBase]; }
            else { _roots[t] = nodeBase; baseline += _nodeMean[nodeBase]; }
            nodeBase += tree.Split.Length;
            leafBase += tree.LeafValue.Length;
        }
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
        foreach (var root in _roots)
        {
            if (root < 0) continue; // a one-leaf tree is all baseline
            var node = root;
            while (true)
            {
                var f = _split[node];
                var child = features[f] <= _threshold[node] ? _left[node] : _right[node];
                var childMean = child < 0 ? _leafValue[~child] : _nodeMean[child];
                var delta = childMean - _nodeMean[node];
                contributions[f] += delta;
                raw += delta;
                if (child < 0) break;
                node = child;
            }
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
            var missing = expectedFeatures.Except(model.FeatureNames).Take(3);
            var extra = model.FeatureNames.Except(expectedFeatures).Take(3);
            throw new ModelMismatchException(
                $"Model {model.Version} was trained on {model.FeatureNames.Count} features, these detectors give {expectedFeatures.Count} " +
                $"(new: {string.Join(", ", missing)}; gone: {string.Join(", ", extra)}; or a different order). Retrain: evidencecheck train …");
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
