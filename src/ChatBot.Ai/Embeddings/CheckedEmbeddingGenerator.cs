using Microsoft.Extensions.AI;

namespace ChatBot.Ai.Embeddings;

/// <summary>
/// A remote embedder with a declared vector size: the index needs the size before the first call, and a model that
/// returns another one is a configuration error, reported with the setting to fix.
/// </summary>
public sealed class CheckedEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, string model, int dimensions) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("openai-compatible", defaultModelId: model, defaultModelDimensions: dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await inner.GenerateAsync(values, new EmbeddingGenerationOptions { Dimensions = dimensions }, cancellationToken);
        foreach (var embedding in result.Where(e => e.Vector.Length != dimensions))
            throw new InvalidOperationException($"ChatBot:Ai:EmbeddingDimensions is {dimensions}, but the model '{model}' returns vectors of {embedding.Vector.Length}. Set it to {embedding.Vector.Length}.");
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : inner.GetService(serviceType, serviceKey);

    public void Dispose() => inner.Dispose();
}
