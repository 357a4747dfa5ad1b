namespace ChatBot.Core.Ingestion;

/// <summary>
/// A chunk as the index holds it. The vector's dimension is the configured embedder's; the store records which embedder filled it and never mixes two.
/// </summary>
public sealed class ChunkRecord
{
    public string Key { get; set; } = "";

    public string ArticleId { get; set; } = "";

    public int Ordinal { get; set; }

    /// <summary>Offset of the chunk's first character in the article's cleaned text.</summary>
    public int Start { get; set; }

    public int End { get; set; }

    public string Title { get; set; } = "";

    public string Text { get; set; } = "";

    public ReadOnlyMemory<float> Embedding { get; set; }
}
