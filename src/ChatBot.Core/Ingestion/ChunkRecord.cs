using Microsoft.Extensions.VectorData;

namespace ChatBot.Core.Ingestion;

/// <summary>
/// A chunk as the vector store holds it. The vector's dimension is the configured embedder's (the attribute states
/// the default); the store records which embedder filled it and never mixes two.
/// </summary>
public sealed class ChunkRecord
{
    [VectorStoreKey]
    public string Key { get; set; } = "";

    [VectorStoreData(IsIndexed = true)]
    public string ArticleId { get; set; } = "";

    [VectorStoreData]
    public int Ordinal { get; set; }

    /// <summary>Offset of the chunk's first character in the article's cleaned text.</summary>
    [VectorStoreData]
    public int Start { get; set; }

    [VectorStoreData]
    public int End { get; set; }

    [VectorStoreData]
    public string Title { get; set; } = "";

    [VectorStoreData(IsFullTextIndexed = true)]
    public string Text { get; set; } = "";

    [VectorStoreVector(384, DistanceFunction = DistanceFunction.CosineSimilarity)]
    public ReadOnlyMemory<float> Embedding { get; set; }
}
