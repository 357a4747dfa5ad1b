using ChatBot.Core.Ingestion.Corpus;
namespace ChatBot.Core.Ingestion;

/// <summary>An article with the chunks (vectors included) that replace all of its previous ones.</summary>
public sealed record ArticleUpdate(Article Article, IReadOnlyList<ChunkRecord> Chunks);

/// <summary>
/// One batch of index changes, applied atomically: after a crash every article is either fully at its new version or
/// still fully at its old one.
/// </summary>
public sealed record IndexChanges
{
    public List<ArticleUpdate> Updates { get; } = [];
    public List<string> DeletedArticleIds { get; } = [];

    /// <summary>Corpus file path → fingerprint to remember; a null fingerprint forgets the file.</summary>
    public Dictionary<string, string?> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Keep the articles' own <see cref="Article.IngestedAt"/> and <see cref="Article.UpdatedAt"/> instead
    /// of stamping them now: a copy from another store, where the digest must not see old articles as new.
    /// </summary>
    public bool KeepTimestamps { get; init; }

    /// <summary>Refuses the whole batch, before anything is written, when a vector does not have the index's dimension.</summary>
    public void EnsureDimensions(int dimensions) => EnsureDimensions(Updates.SelectMany(u => u.Chunks), dimensions);

    /// <summary>Refuses chunks, before anything is written, when a vector does not have the index's dimension.</summary>
    public static void EnsureDimensions(IEnumerable<ChunkRecord> chunks, int dimensions)
    {
        foreach (var chunk in chunks.Where(c => c.Embedding.Length != dimensions))
            throw new ArgumentException($"Chunk '{chunk.Key}' has a {chunk.Embedding.Length}-dimension vector; this index holds {dimensions}.");
    }

    public bool IsEmpty => Updates.Count == 0 && DeletedArticleIds.Count == 0 && Files.Count == 0;
}
