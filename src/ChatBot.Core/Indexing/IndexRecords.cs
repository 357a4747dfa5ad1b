using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Indexing;

/// <summary>An article with its chunks in order (without vectors): what a passage is cut from.</summary>
public sealed record ArticleWithChunks(Article Article, IReadOnlyList<ChunkRecord> Chunks);

/// <summary>Sizes of the index, for logs, <c>/stats</c> and sanity checks.</summary>
public sealed record IndexCounts(int Articles, int Chunks);


/// <summary>The embedder an index was built with, as the index records it (<c>id|dimensions</c>).</summary>
public sealed record IndexEmbedder(string Id, int Dimensions)
{
    public override string ToString() => $"{Id}|{Dimensions.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    public static IndexEmbedder? Parse(string? recorded)
    {
        var bar = recorded?.LastIndexOf('|') ?? -1;
        return bar > 0 && int.TryParse(recorded.AsSpan(bar + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var dimensions)
            ? new IndexEmbedder(recorded![..bar], dimensions)
            : null;
    }
}
