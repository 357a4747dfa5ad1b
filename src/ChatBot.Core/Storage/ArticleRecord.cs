namespace ChatBot.Core.Storage;

/// <summary>An indexed article: metadata for citations, cleaned text for quotes and neighbouring context.</summary>
public sealed record ArticleRecord(
    string Id,
    string Title,
    string? Source,
    DateOnly? Published,
    string? Url,
    string Path,
    string Text,
    string ContentHash,
    DateTimeOffset IngestedAt,
    DateTimeOffset UpdatedAt);

/// <summary>An article with its chunks in order (without vectors): what a passage is cut from.</summary>
public sealed record ArticleWithChunks(ArticleRecord Article, IReadOnlyList<ChunkRecord> Chunks);

/// <summary>What the ingester compares to decide whether an article must be processed again.</summary>
public sealed record ArticleState(string ContentHash, string Path);

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
