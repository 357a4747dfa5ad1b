using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Indexing;

/// <summary>
/// The index behind the bot: articles, their chunks and vectors, and the in-memory index searches read. There is one
/// search path: the candidates stage reads <see cref="Lexical"/> and <see cref="NearestAsync"/>, then
/// <see cref="GetChunksAsync"/> for the records.
/// </summary>
public interface IIndexStore : IArticleStore, IAsyncDisposable
{
    /// <summary>
    /// Grows whenever the index changes (here, or on another replica of a shared database, once this one has caught
    /// up): in-memory views of the index key on it.
    /// </summary>
    long ChangeCount { get; }

    /// <summary>Where the index lives, for messages (a file path, a server).</summary>
    string Location { get; }

    /// <summary>
    /// Opens (creating if needed) the index for an embedder. When the index was built by another embedder, its chunks
    /// are dropped and every article is marked for re-embedding; returns true in that case.
    /// </summary>
    Task<bool> OpenAsync(string embedderId, int dimensions, CancellationToken cancellationToken);

    /// <summary>The embedder the index was built with, read without opening or changing anything; null when there is no index yet.</summary>
    Task<IndexEmbedder?> ReadEmbedderAsync(CancellationToken cancellationToken);

    /// <summary>Every article, newest publication first (undated last); <see cref="Article.Text"/> is left empty.</summary>
    Task<IReadOnlyList<Article>> ListArticlesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every article's publication date (null when undated), in no order: what a dated question needs, read without
    /// the sorted listing (at 804k articles, one column pair against a sort of every row).
    /// </summary>
    Task<IReadOnlyDictionary<string, DateOnly?>> GetPublishedDatesAsync(CancellationToken cancellationToken);

    /// <summary>The <paramref name="count"/> newest articles, as <see cref="ListArticlesAsync"/> orders them.</summary>
    Task<IReadOnlyList<Article>> ListNewestArticlesAsync(int count, CancellationToken cancellationToken);

    /// <summary>An article's chunks in order, without their vectors.</summary>
    Task<IReadOnlyList<ChunkRecord>> GetArticleChunksAsync(string articleId, CancellationToken cancellationToken);

    /// <summary>
    /// These articles with their chunks (without vectors), in one round trip where the store is remote; missing ones
    /// are left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, ArticleWithChunks>> GetArticlesWithChunksAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken);

    /// <summary>An article's chunks in order, vectors included: what a copy to another store needs.</summary>
    Task<IReadOnlyList<ChunkRecord>> ExportArticleChunksAsync(string articleId, CancellationToken cancellationToken);

    /// <summary>The in-memory lexical index every search reads (postings of each analyser, titles, vocabulary).</summary>
    LexicalIndex Lexical { get; }

    /// <summary>The chunks with these row ids (as search results give them), without vectors; missing ones are left out.</summary>
    Task<IReadOnlyDictionary<long, ChunkRecord>> GetChunksAsync(IReadOnlyList<long> rowIds, CancellationToken cancellationToken);

    /// <summary>The <paramref name="top"/> row ids nearest to a query vector, with their cosine.</summary>
    ValueTask<List<(long Id, float Score)>> NearestAsync(ReadOnlyMemory<float> query, int top, CancellationToken cancellationToken);

    Task<IndexCounts> GetCountsAsync(CancellationToken cancellationToken);

    /// <summary>Drops every chunk and makes every article look changed, so the next pass embeds it again (<c>index --rebuild</c>).</summary>
    Task ClearChunksAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Throws unless the database takes writes now: a write transaction that changes nothing and is rolled back
    /// (a read-only file, a full disk's lock, a read-only PostgreSQL replica fail it). The readiness probe.
    /// </summary>
    Task ProbeWriteAsync(CancellationToken cancellationToken);
}
