using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Ingestion;

/// <summary>What the ingester compares to decide whether an article must be processed again.</summary>
public sealed record ArticleState(string ContentHash, string Path);

/// <summary>
/// What ingestion writes to: the articles and file fingerprints it compares against, and one atomic batch of changes at
/// a time. The index store is one (<c>IIndexStore</c> extends it); ingestion knows nothing else of it.
/// </summary>
public interface IArticleStore
{
    Task<IReadOnlyDictionary<string, string>> GetFileFingerprintsAsync(CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, ArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken);

    Task ApplyAsync(IndexChanges changes, CancellationToken cancellationToken);

    Task<Article?> GetArticleAsync(string id, CancellationToken cancellationToken);
}
