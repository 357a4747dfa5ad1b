using System.Collections.Concurrent;
using System.Xml;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Core.Ingestion.Sources;
using ChatBot.Sources.Feeds;
using ChatBot.Sources.Fetching;
using ChatBot.Sources.Pages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Sources;

/// <summary>What fetching one page did: its article and what storing it did, or why nothing was stored.</summary>
public sealed record PageOutcome(Uri Url, WebIngest? Ingest, string? Problem, bool NotModified = false)
{
    public bool Failed => Problem is not null;
}

/// <summary>What one poll of a source did.</summary>
public sealed record SourcePoll(string Source, int Listed, int Added, int Updated, int Unchanged, int Failed, string? Error)
{
    public bool Succeeded => Error is null;

    public override string ToString() => Error is null
        ? $"{Source}: {Listed} listed, {Added} added, {Updated} updated, {Unchanged} unchanged, {Failed} failed"
        : $"{Source}: {Error}";
}

/// <summary>
/// Reads the configured sources into the index: a feed or sitemap (a sitemap index's children too) lists articles, the
/// new ones first; each is fetched politely (<see cref="PoliteFetcher"/>), read (<see cref="PageReader"/>) and stored as an
/// article like any other (<see cref="CorpusIngester.IngestWebAsync"/>). A feed unchanged since the last poll (304)
/// costs one request; a page unchanged (304 or the same content) is not stored again; a page that is gone (404, 410)
/// leaves the index. Whatever goes wrong with one page is one warning, and the others go on; whatever goes wrong with
/// a source is its state on the board (<see cref="ISourceBoard"/>), and the other sources go on.
/// </summary>
public sealed partial class SourceSync : ISourceBoard
{
    private const int MaxChildSitemaps = 50;

    /// <summary>Pages stored together: one change (one transaction, one index update) per batch.</summary>
    private const int BatchPages = 32;

    private readonly PoliteFetcher _fetcher;
    private readonly CorpusIngester _ingester;
    private readonly IOptions<SourcesOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SourceSync> _logger;
    private readonly ConcurrentDictionary<string, SourceState> _states = new(StringComparer.Ordinal);

    public SourceSync(PoliteFetcher fetcher, CorpusIngester ingester, IOptions<SourcesOptions> options, TimeProvider time, ILogger<SourceSync> logger)
    {
        _fetcher = fetcher;
        _ingester = ingester;
        _options = options;
        _time = time;
        _logger = logger;
        foreach (var feed in options.Value.Feeds)
            _states.TryAdd(feed, new SourceState(feed, null, null, null, null, null, 0, 0));
        foreach (var page in options.Value.Pages)
            _states.TryAdd(page, new SourceState(page, SourceKind.Page, null, null, null, null, 0, 0));
    }

    /// <summary>The configured sources, feeds first, in the order configured.</summary>
    public IReadOnlyList<string> Configured => [.. _options.Value.Feeds, .. _options.Value.Pages];

    public IReadOnlyList<SourceState> Sources => Configured.Select(s => _states.TryGetValue(s, out var state) ? state : null).OfType<SourceState>().ToList();

    /// <summary>Raised after each poll of a source by the schedule (its next try set) or by <see cref="PollAllAsync"/>.</summary>
    public event Action<SourcePoll>? Polled;

    /// <summary>Records when a source polled by the schedule is tried next, then tells <see cref="Polled"/>.</summary>
    internal void Schedule(SourcePoll poll, DateTimeOffset next)
    {
        _states.AddOrUpdate(poll.Source, s => new SourceState(s, null, null, null, null, next, 0, 0), (_, state) => state with { NextTry = next });
        Polled?.Invoke(poll);
    }

    /// <summary>Polls one configured source now.</summary>
    public async Task<SourcePoll> PollAsync(string source, CancellationToken cancellationToken)
    {
        var isPage = _options.Value.Pages.Contains(source) && !_options.Value.Feeds.Contains(source);
        SourcePoll poll;
        SourceKind? kind = isPage ? SourceKind.Page : null;
        if (WebAddress.Parse(source) is not { } url)
        {
            poll = new SourcePoll(source, 0, 0, 0, 0, 0, "not an http(s) address");
        }
        else if (isPage)
        {
            var outcome = await IngestPageAsync(url, null, cancellationToken);
            poll = Tally(source, 1, [outcome]) with { Error = outcome.Problem };
        }
        else
        {
            (poll, kind) = await PollFeedAsync(source, url, cancellationToken);
        }
        var now = _time.GetUtcNow();
        _states.AddOrUpdate(source,
            s => Next(new SourceState(s, kind, null, null, null, null, 0, 0), poll, kind, now),
            (_, state) => Next(state, poll, kind, now));
        if (poll.Error is not null && !isPage) // a page's failure was already its one warning
            LogSourceFailed(_logger, source, poll.Error);
        else
            LogSourcePolled(_logger, poll.ToString());
        return poll;
    }

    private static SourceState Next(SourceState state, SourcePoll poll, SourceKind? kind, DateTimeOffset now) => poll.Error is null
        ? state with { Kind = kind ?? state.Kind, LastAttempt = now, LastSuccess = now, LastError = null, ConsecutiveFailures = 0, Articles = state.Articles + poll.Added }
        : state with { Kind = kind ?? state.Kind, LastAttempt = now, LastError = poll.Error, ConsecutiveFailures = state.ConsecutiveFailures + 1, Articles = state.Articles + poll.Added };

    /// <summary>Polls every configured source once (the <c>index</c> command): their results, in order.</summary>
    public async Task<IReadOnlyList<SourcePoll>> PollAllAsync(CancellationToken cancellationToken)
    {
        var polls = new List<SourcePoll>();
        foreach (var source in Configured)
        {
            polls.Add(await PollAsync(source, cancellationToken));
            Polled?.Invoke(polls[^1]);
        }
        return polls;
    }

    private async Task<(SourcePoll Poll, SourceKind? Kind)> PollFeedAsync(string source, Uri url, CancellationToken cancellationToken)
    {
        var remembered = await _ingester.WebValidatorsAsync(cancellationToken);
        var fetched = await _fetcher.FetchAsync(url, FetchKind.Feed, remembered.GetValueOrDefault(FeedKey(url)), cancellationToken);
        switch (fetched.Status)
        {
            case FetchStatus.NotModified:
                return (new SourcePoll(source, 0, 0, 0, 0, 0, null), null);
            case FetchStatus.Ok:
                break;
            default:
                return (new SourcePoll(source, 0, 0, 0, 0, 0, fetched.Error ?? fetched.Status.ToString()), null);
        }
        FeedDocument feed;
        try
        {
            feed = FeedDocument.Parse(fetched.Body, fetched.Url);
        }
        catch (XmlException ex)
        {
            return (new SourcePoll(source, 0, 0, 0, 0, 0, $"not a readable feed or sitemap ({ex.Message.Split('\n')[0]})"), null);
        }
        var items = feed.Items.ToList();
        foreach (var child in feed.Sitemaps.Take(MaxChildSitemaps))
        {
            var page = await _fetcher.FetchAsync(child, FetchKind.Feed, null, cancellationToken);
            if (page.Status != FetchStatus.Ok)
            {
                LogChildFailed(_logger, child.AbsoluteUri, page.Error ?? page.Status.ToString());
                continue;
            }
            try
            {
                items.AddRange(FeedDocument.Parse(page.Body, page.Url).Items); // one level: an index of indexes is not followed
            }
            catch (XmlException ex)
            {
                LogChildFailed(_logger, child.AbsoluteUri, ex.Message.Split('\n')[0]);
            }
        }
        // One fetch per story however many tracking links reach it; the new ones first, the newest first.
        var distinct = items.GroupBy(i => WebAddress.Canonical(i.Url), StringComparer.Ordinal).Select(g => g.First()).ToList();
        var chosen = distinct.OrderBy(i => remembered.ContainsKey(WebAddress.Canonical(i.Url))).ThenByDescending(i => i.Published ?? DateOnly.MinValue)
            .Take(_options.Value.MaxPagesPerPoll).ToList();
        // Fetched and read in parallel (one request at a time per host still), stored a batch at a time.
        var outcomes = new List<PageOutcome>();
        foreach (var batch in chosen.Chunk(BatchPages))
        {
            var read = new ReadPage[batch.Length];
            await Parallel.ForEachAsync(Enumerable.Range(0, batch.Length), new ParallelOptions { MaxDegreeOfParallelism = _options.Value.Parallelism, CancellationToken = cancellationToken },
                async (i, ct) => read[i] = await ReadPageAsync(batch[i].Url, batch[i], remembered.GetValueOrDefault(WebAddress.Canonical(batch[i].Url)), ct));
            outcomes.AddRange(await StoreAsync(read, cancellationToken));
        }
        // Remembered once its pages are in: a poll that dies half-way reads the whole feed again.
        if (fetched.Validators is not null)
            await _ingester.RememberWebAsync(FeedKey(url), fetched.Validators, cancellationToken);
        return (Tally(source, distinct.Count, outcomes), feed.Kind);
    }

    /// <summary>Where a feed's validators are remembered: its canonical address, marked so that no article's can be the same.</summary>
    private static string FeedKey(Uri url) => WebAddress.Canonical(url) + "#feed";

    private static SourcePoll Tally(string source, int listed, IEnumerable<PageOutcome> outcomes)
    {
        int added = 0, updated = 0, unchanged = 0, failed = 0;
        foreach (var o in outcomes)
        {
            if (o.Failed) failed++;
            else if (o.NotModified || o.Ingest?.Outcome == WebIngestOutcome.Unchanged) unchanged++;
            else if (o.Ingest?.Outcome == WebIngestOutcome.Added) added++;
            else updated++;
        }
        return new SourcePoll(source, listed, added, updated, unchanged, failed, null);
    }

    /// <summary>Fetches one page and stores it (<c>/add</c>, a configured page, a feed's item).</summary>
    public async Task<PageOutcome> IngestPageAsync(Uri url, FeedItem? item, CancellationToken cancellationToken)
    {
        var validators = (await _ingester.WebValidatorsAsync(cancellationToken)).GetValueOrDefault(WebAddress.Canonical(url));
        return (await StoreAsync([await ReadPageAsync(url, item, validators, cancellationToken)], cancellationToken))[0];
    }

    /// <summary>A page fetched and read: its document to store, or its outcome already (not modified, gone, a problem).</summary>
    private sealed record ReadPage(Uri Url, string Key, FetchedDocument? Document, PageOutcome? Done);

    private async Task<ReadPage> ReadPageAsync(Uri url, FeedItem? item, string? validators, CancellationToken cancellationToken)
    {
        var key = WebAddress.Canonical(url);
        var fetched = await _fetcher.FetchAsync(url, FetchKind.Page, validators, cancellationToken);
        switch (fetched.Status)
        {
            case FetchStatus.NotModified:
                return new ReadPage(url, key, null, new PageOutcome(url, null, null, NotModified: true));
            case FetchStatus.Gone:
                await _ingester.RemoveWebAsync(WebAddress.ArticleId(key), key, cancellationToken);
                return new ReadPage(url, key, null, Problem(url, fetched.Error ?? "gone"));
            case FetchStatus.Ok:
                break;
            default:
                return new ReadPage(url, key, null, Problem(url, fetched.Error ?? fetched.Status.ToString()));
        }
        SourceDocument? document;
        string? problem;
        try
        {
            (document, _, problem) = PageReader.Read(fetched, item);
        }
#pragma warning disable CA1031 // a page the reader cannot handle is one warning, never the end of the poll
        catch (Exception ex)
#pragma warning restore CA1031
        {
            (document, problem) = (null, $"unreadable page ({ex.GetType().Name})");
        }
        return document is null
            ? new ReadPage(url, key, null, Problem(url, problem ?? "no article"))
            : new ReadPage(url, key, new FetchedDocument(document, key, fetched.Validators ?? ""), null);
    }

    private async Task<List<PageOutcome>> StoreAsync(IReadOnlyList<ReadPage> pages, CancellationToken cancellationToken)
    {
        var toStore = pages.Where(p => p.Document is not null).ToList();
        var stored = toStore.Count == 0 ? [] : await _ingester.IngestWebAsync(toStore.Select(p => p.Document!).ToList(), cancellationToken);
        var outcomes = new List<PageOutcome>();
        var next = 0;
        foreach (var page in pages)
        {
            if (page.Done is { } done)
            {
                outcomes.Add(done);
                continue;
            }
            var ingest = stored[next++];
            outcomes.Add(ingest.Outcome == WebIngestOutcome.Empty ? Problem(page.Url, "no text left once page furniture is removed") : new PageOutcome(page.Url, ingest, null));
        }
        return outcomes;
    }

    private PageOutcome Problem(Uri url, string problem)
    {
        LogPageSkipped(_logger, url.AbsoluteUri, problem);
        return new PageOutcome(url, null, problem);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Page {Url} skipped: {Problem}")]
    private static partial void LogPageSkipped(ILogger logger, string url, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source} failed: {Error}")]
    private static partial void LogSourceFailed(ILogger logger, string source, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sitemap {Url} skipped: {Problem}")]
    private static partial void LogChildFailed(ILogger logger, string url, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Source polled: {Summary}")]
    private static partial void LogSourcePolled(ILogger logger, string summary);
}
