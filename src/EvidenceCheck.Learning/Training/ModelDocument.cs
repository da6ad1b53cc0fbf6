namespace EvidenceCheck.Learning.Training;

/// <summary>
/// What a model file holds (model.json inside the zip): everything needed to score without ML.NET,
/// and everything needed to refuse a mismatch — the feature names in order and the contract version.
/// </summary>
public sealed class ModelDocument
{
    public const string CurrentFormat = "evidencecheck-model/1";
    /// <summary>The report contract the features were measured from.</summary>
    public const string ContractV1 = "v1";

    public string Format { get; set; } = CurrentFormat;
    public string ModelVersion { get; set; } = "";
    public string ContractVersion { get; set; } = ContractV1;
    public List<string> FeatureNames { get; set; } = [];
    public DateTimeOffset TrainedAt { get; set; }
    public string Trainer { get; set; } = "FastTree";
    public TrainingOptions Options { get; set; } = new();
    /// <summary>Seeds of the simulated data the model was trained on (from report ids), so evaluation can refuse to test on them.</summary>
    public List<int> TrainingSeeds { get; set; } = [];
    public int TrainingReports { get; set; }
    public int CalibrationReports { get; set; }
    public double TrainingFabricatedShare { get; set; }

    /// <summary>Raw score = Bias + Σ trees; probability = 1 / (1 + exp(PlattSlope × raw + PlattOffset)) (ML.NET's Platt form).</summary>
    public double Bias { get; set; }
    public double PlattSlope { get; set; }
    public double PlattOffset { get; set; }
    public List<TreeDocument> Trees { get; set; } = [];
}

/// <summary>
/// One regression tree as ML.NET stores it: node i splits on feature Split[i] at Threshold[i]
/// (go left when value ≤ threshold); a child index c &lt; 0 is leaf ~c. NodeMean is the training
/// data's mean output below each node (leaf-count weighted), which the attributions need.
/// </summary>
public sealed class TreeDocument
{
    public double Weight { get; set; } = 1;
    public int[] Split { get; set; } = [];
    public float[] Threshold { get; set; } = [];
    public int[] Left { get; set; } = [];
    public int[] Right { get; set; } = [];
    public double[] LeafValue { get; set; } = [];
    public double[] NodeMean { get; set; } = [];
}
