using System.Globalization;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Indexing;

/// <summary>
/// The list of articles (metadata, no text) held in memory until the index changes, with the views retrieval asks
/// for on every dated question: publication date by article, and the years the corpus was published in. Reading
/// 80,000 articles from the store took ~700 ms a question; this is a dictionary lookup.
/// </summary>
public sealed class ArticleCatalog(IIndexStore store) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Snapshot? _snapshot;

    private sealed record Snapshot(long Version, IReadOnlyList<Article> Articles, IReadOnlyDictionary<string, DateOnly?> Published, IReadOnlySet<string> Years);

    /// <summary>Every article, newest first (as <see cref="IIndexStore.ListArticlesAsync"/>).</summary>
    public async Task<IReadOnlyList<Article>> ListAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Articles;

    /// <summary>Publication date by article id (null when undated).</summary>
    public async Task<IReadOnlyDictionary<string, DateOnly?>> PublishedAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Published;

    /// <summary>The years, as four digits, in which some article was published.</summary>
    public async Task<IReadOnlySet<string>> PublicationYearsAsync(CancellationToken cancellationToken) => (await CurrentAsync(cancellationToken)).Years;

    private async Task<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var version = store.ChangeCount;
        if (_snapshot is { } current && current.Version == version)
            return current;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            version = store.ChangeCount; // read before the list: a change during the read makes the next call read again
            if (_snapshot is { } fresh && fresh.Version == version)
                return fresh;
            var articles = await store.ListArticlesAsync(cancellationToken);
            var snapshot = new Snapshot(
                version,
                articles,
                articles.ToDictionary(a => a.Id, a => a.Published, StringComparer.Ordinal),
                articles.Where(a => a.Published is not null).Select(a => a.Published!.Value.Year.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal));
            _snapshot = snapshot;
            return snapshot;
        }
        finally { _gate.Release(); }
    }

    public void Dispose() => _gate.Dispose();
}
