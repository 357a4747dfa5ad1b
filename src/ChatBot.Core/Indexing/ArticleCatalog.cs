using System.Globalization;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Indexing;

/// <summary>
/// The list of articles (metadata, no text, no content hash) held in memory until the index changes, with the views retrieval asks
/// for on every dated question: publication date by article, and the years the corpus was published in. Reading
/// 80,000 articles from the store took ~700 ms a question; this is a dictionary lookup. The dates are read on their
/// own (one column pair, unsorted) when the listing is not there yet: at 804k articles the sorted listing takes
/// seconds, and a dated question must not wait for it.
/// </summary>
public sealed class ArticleCatalog(IIndexStore store) : IDisposable
{
    private readonly SemaphoreSlim _listingGate = new(1, 1);
    private readonly SemaphoreSlim _datesGate = new(1, 1);
    private Listing? _listing;
    private Dates? _dates;

    private abstract record Versioned(long Version);

    private sealed record Listing(long Version, IReadOnlyList<Article> Articles) : Versioned(Version);

    private sealed record Dates(long Version, IReadOnlyDictionary<string, DateOnly?> Published, IReadOnlySet<string> Years) : Versioned(Version);

    /// <summary>Every article, newest first (as <see cref="IIndexStore.ListArticlesAsync"/>).</summary>
    public async Task<IReadOnlyList<Article>> ListAsync(CancellationToken cancellationToken) => (await CurrentListingAsync(cancellationToken)).Articles;

    /// <summary>Publication date by article id (null when undated).</summary>
    public async Task<IReadOnlyDictionary<string, DateOnly?>> PublishedAsync(CancellationToken cancellationToken) => (await CurrentDatesAsync(cancellationToken)).Published;

    /// <summary>The years, as four digits, in which some article was published.</summary>
    public async Task<IReadOnlySet<string>> PublicationYearsAsync(CancellationToken cancellationToken) => (await CurrentDatesAsync(cancellationToken)).Years;

    /// <summary>Reads the dates, then the listing, ahead of the first question that needs them.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        await CurrentDatesAsync(cancellationToken);
        await CurrentListingAsync(cancellationToken);
    }

    private Task<Listing> CurrentListingAsync(CancellationToken cancellationToken) =>
        CurrentAsync(_listingGate, () => _listing, async version =>
            _listing = new Listing(version, Slim(await store.ListArticlesAsync(cancellationToken))), cancellationToken);

    private Task<Dates> CurrentDatesAsync(CancellationToken cancellationToken) =>
        CurrentAsync(_datesGate, () => _dates, async version =>
        {
            // The listing of the same version holds them already; otherwise the dates alone.
            var published = _listing is { } listing && listing.Version == version
                ? listing.Articles.ToDictionary(a => a.Id, a => a.Published, StringComparer.Ordinal)
                : await store.GetPublishedDatesAsync(cancellationToken);
            var years = published.Values.Where(d => d is not null).Select(d => d!.Value.Year.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
            return _dates = new Dates(version, published, years);
        }, cancellationToken);

    /// <summary>
    /// What <paramref name="held"/> returns when it is of the index's current version, or else what
    /// <paramref name="read"/> reads (once, behind <paramref name="gate"/>, however many ask together). The version is
    /// read before reading: a change during the read makes the next call read again.
    /// </summary>
    private async Task<T> CurrentAsync<T>(SemaphoreSlim gate, Func<T?> held, Func<long, Task<T>> read, CancellationToken cancellationToken)
        where T : Versioned
    {
        if (held() is { } current && current.Version == store.ChangeCount)
            return current;
        await gate.WaitAsync(cancellationToken);
        try
        {
            var version = store.ChangeCount;
            return held() is { } fresh && fresh.Version == version ? fresh : await read(version);
        }
        finally { gate.Release(); }
    }

    /// <summary>
    /// The listing as held: no content hash (no listing reads it; the index copier asks the store), and each path and
    /// source kept once, since many articles share one (a .jsonl file, a newspaper). At 80k articles from one file the
    /// hashes and the copies of the path held 17 MB.
    /// </summary>
    private static List<Article> Slim(IReadOnlyList<Article> articles)
    {
        var shared = new Dictionary<string, string>(StringComparer.Ordinal);
        var slim = new List<Article>(articles.Count);
        foreach (var article in articles)
        {
            slim.Add(article with { ContentHash = "", Path = Shared(article.Path), Source = article.Source is null ? null : Shared(article.Source) });
        }
        return slim;

        string Shared(string text)
        {
            if (shared.TryGetValue(text, out var kept))
                return kept;
            if (shared.Count < 100_000)
                shared[text] = text;
            return text;
        }
    }

    public void Dispose()
    {
        _listingGate.Dispose();
        _datesGate.Dispose();
    }
}
