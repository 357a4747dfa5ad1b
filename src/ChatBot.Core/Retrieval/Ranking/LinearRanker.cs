using System.Text.Json;
using System.Text.Json.Serialization;

namespace ChatBot.Core.Retrieval.Ranking;

/// <summary>
/// A linear reranker's weights as <c>eval --train-ranker</c> writes them: the feature names it was trained on (a file
/// for other features is refused), each feature's mean and scale on the training data, the weights, and how it was made.
/// </summary>
public sealed record RankerModel(
    [property: JsonPropertyName("features")] IReadOnlyList<string> Features,
    [property: JsonPropertyName("mean")] IReadOnlyList<float> Mean,
    [property: JsonPropertyName("scale")] IReadOnlyList<float> Scale,
    [property: JsonPropertyName("weights")] IReadOnlyList<float> Weights,
    [property: JsonPropertyName("trained")] string Trained)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RankerModel FromJson(string json) =>
        JsonSerializer.Deserialize<RankerModel>(json) ?? throw new InvalidDataException("The ranker weights file is empty.");
}

/// <summary>Scores candidates with a <see cref="RankerModel"/>: the dot product of the standardised features and the weights.</summary>
public sealed class LinearRanker
{
    private readonly float[] _mean;
    private readonly float[] _scale;
    private readonly float[] _weights;

    public LinearRanker(RankerModel model)
    {
        if (!model.Features.SequenceEqual(RankingFeatures.Names))
            throw new InvalidDataException(
                $"The ranker weights were trained on other features ({string.Join(", ", model.Features)}); run `eval --train-ranker` again.");
        if (model.Mean.Count != model.Features.Count || model.Scale.Count != model.Features.Count || model.Weights.Count != model.Features.Count)
            throw new InvalidDataException("The ranker weights file is inconsistent (one mean, scale and weight per feature).");
        Model = model;
        _mean = [.. model.Mean];
        _scale = [.. model.Scale];
        _weights = [.. model.Weights];
    }

    public RankerModel Model { get; }

    /// <summary>The weights shipped with the bot (<c>Resources/ranker.json</c>).</summary>
    public static LinearRanker Default { get; } = new(RankerModel.FromJson(Foundation.Text.EmbeddedData.Text("ranker.json")));

    public float Score(ReadOnlySpan<float> features)
    {
        var score = 0f;
        for (var i = 0; i < _weights.Length; i++)
            score += _weights[i] * (features[i] - _mean[i]) / _scale[i];
        return score;
    }
}
