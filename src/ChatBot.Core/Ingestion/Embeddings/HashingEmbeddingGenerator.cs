using System.Numerics.Tensors;
using ChatBot.Core.Foundation.Text;
using Microsoft.Extensions.AI;

namespace ChatBot.Core.Ingestion.Embeddings;

/// <summary>
/// The embedded default: an embedding that needs no model file and no network. Word stems, stem bigrams and
/// character n-grams of each word are hashed (signed, so collisions cancel rather than pile up) into a fixed number
/// of dimensions, with sub-linear term frequency, then L2-normalised. It captures shared vocabulary and spelling
/// variants, not meaning; the hybrid retriever pairs it with BM25.
/// </summary>
public sealed class HashingEmbeddingGenerator(TextAnalyzer analyzer, int dimensions) : IEmbeddingGenerator<string, Embedding<float>>, IWeightedQueryEmbedder
{
    public const string ProviderName = "chatbot-hashing";
    public const string ModelId = "hashing-v2";

    private const float StemWeight = 1.0f;
    private const float BigramWeight = 0.5f;
    private const float CharGramWeight = 0.35f;

    private readonly EmbeddingGeneratorMetadata _metadata = new(ProviderName, defaultModelId: ModelId, defaultModelDimensions: dimensions);

    public int Dimensions => dimensions;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result.Add(new Embedding<float>(Embed(value)) { ModelId = ModelId, CreatedAt = null });
        }
        return Task.FromResult(result);
    }

    /// <summary>
    /// A query vector in which each part counts with its own weight (e.g. inverse document frequency): the dot product
    /// with a document vector then ranks like TF-IDF rather than plain term overlap.
    /// </summary>
    public float[] EmbedWeighted(IEnumerable<(string Text, float Weight)> parts)
    {
        var vector = new float[dimensions];
        foreach (var (text, weight) in parts)
            TensorPrimitives.MultiplyAdd(Embed(text), weight, vector, vector);
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    public float[] Embed(string text)
    {
        var features = new Dictionary<ulong, (float Weight, int Count)>();
        string? previous = null;
        foreach (var token in analyzer.Tokenize(text))
        {
            if (!token.IsContent)
                continue;
            Add(features, Hash('w', token.Term), StemWeight);
            if (previous is not null)
                Add(features, Hash('b', previous, token.Term), BigramWeight);
            previous = token.Term;
            AddCharGrams(features, token.Folded);
        }

        var vector = new float[dimensions];
        foreach (var (hash, (baseWeight, count)) in features)
        {
            var slot = (int)(hash % (ulong)dimensions);
            var weight = baseWeight * (1f + MathF.Log(count)); // sub-linear: the tenth mention adds less than the second
            vector[slot] += (hash >> 63) == 0 ? weight : -weight;
        }
        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    private static void AddCharGrams(Dictionary<ulong, (float Weight, int Count)> features, string word)
    {
        if (word.Length < 4 || !char.IsLetter(word[0]))
            return;
        var padded = $"<{word}>";
        var count = 0;
        for (var n = 3; n <= 4; n++)
            count += Math.Max(0, padded.Length - n + 1);
        var weight = CharGramWeight / MathF.Sqrt(count);
        for (var n = 3; n <= 4; n++)
        {
            for (var i = 0; i + n <= padded.Length; i++)
                Add(features, Hash('c', padded.AsSpan(i, n)), weight);
        }
    }

    private static void Add(Dictionary<ulong, (float Weight, int Count)> features, ulong hash, float weight)
    {
        var (known, count) = features.GetValueOrDefault(hash);
        features[hash] = (Math.Max(known, weight), count + 1);
    }

    private static ulong Hash(char kind, ReadOnlySpan<char> text, ReadOnlySpan<char> second = default)
    {
        // FNV-1a: stable across processes and platforms, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        hash = (hash ^ kind) * 1099511628211UL;
        foreach (var c in text)
            hash = (hash ^ c) * 1099511628211UL;
        if (!second.IsEmpty)
        {
            hash = (hash ^ ' ') * 1099511628211UL;
            foreach (var c in second)
                hash = (hash ^ c) * 1099511628211UL;
        }
        // Final avalanche so that the low bits used for the slot depend on every character.
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccdUL;
        hash ^= hash >> 33;
        return hash;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
