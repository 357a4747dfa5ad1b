using ChatBot.Core.Answering;
using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Core.Digest;
using ChatBot.Core.Foundation.Ai;
using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Core.Ingestion.Sources;
using ChatBot.Core.Retrieval.Understanding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ChatBot.OperatorConsole;

public sealed record AdapterHealth(string Platform, AdapterState State, int Restarts, string? ParkedBecause, DateTimeOffset? RestartDue, IReadOnlyList<(string Label, string Value)> Details);

public sealed record ModelHealth(bool Configured, string Provider, string? Endpoint, string? ChatModel, (DateTimeOffset At, string Message)? LastError);

public sealed record Health(
    IReadOnlyList<AdapterHealth> Adapters, IndexCounts Index, (IngestionReport Report, DateTimeOffset At)? LastPass, IReadOnlyList<DigestStatus> Digests, bool DigestConfigured, ModelHealth Model)
{
    /// <summary>Updates set aside as unusable in the inbox's memory (two days): how many, and the last reason.</summary>
    public ParkedItems Parked { get; init; } = ParkedItems.None;

    /// <summary>The followed web sources (feeds, sitemaps, pages) and their state.</summary>
    public IReadOnlyList<SourceState> Sources { get; init; } = [];
}

/// <summary>One day of questions on one platform.</summary>
public sealed record DayStats(DateOnly Day, string Platform, int Questions, int Declined, double P50Ms, double P95Ms);

public sealed record QuestionStats(IReadOnlyList<DayStats> Days, int Questions, double DeclinedShare, double P50Ms, double P95Ms, double PositiveShare, int Votes);

public sealed record CatalogRow(Article Article, int Chunks, int Cited);

public sealed record CatalogPage(IReadOnlyList<CatalogRow> Rows, int Total, int Page, int Pages, string Query, bool QueryCut);

/// <summary>What the console shows, read from the core's services on each request (nothing cached: every replica sees the shared database as it is).</summary>
public sealed class ConsoleData(
    IServiceProvider services,
    IIndexStore store,
    ArticleCatalog catalog,
    IQuestionLog questions,
    IFeedbackStore feedback,
    ConversationMemory conversations,
    CorpusIngester ingester,
    QueryBuilder queryBuilder,
    OptionalLanguageModel model,
    IOptions<AiOptions> ai,
    IOptions<ConversationOptions> privacy,
    IOptions<ConsoleOptions> options,
    TimeProvider time)
{
    public const int PageSize = 50;
    public const int MaxQueryLength = 200;
    private const int MaxQuestions = 50_000;

    /// <summary>Whether question and answer text may be shown (<c>ChatBot:Conversations:StoreQuestions</c>).</summary>
    public bool ShowsText => privacy.Value.StoreQuestions;

    public int Days => options.Value.Days;

    public async Task<Health> HealthAsync(CancellationToken cancellationToken)
    {
        var adapters = services.GetServices<IHostedService>().OfType<SupervisedAdapter>()
            .Select(a => new AdapterHealth(a.Platform, a.State, a.Restarts, a.ParkedBecause, a.RestartDue, a.Details))
            .ToList();
        var digest = services.GetService<DigestService>();
        var a = ai.Value;
        return new Health(
            adapters,
            await store.GetCountsAsync(cancellationToken),
            ingester.LastPass,
            digest is null ? [] : await digest.StatusAsync(cancellationToken),
            digest is not null,
            new ModelHealth(model.IsEnabled, a.Provider, SafeEndpoint(a.Endpoint), a.ChatModel, Redacted(model.LastError, a.ApiKey, a.Endpoint)))
        {
            Parked = services.GetService<DurableInbox>() is { } inbox ? await inbox.ParkedAsync(cancellationToken) : ParkedItems.None,
            Sources = services.GetService<ISourceBoard>()?.Sources ?? [],
        };
    }

    public Task<IReadOnlyList<LoggedQuestion>> RecentQuestionsAsync(CancellationToken cancellationToken) =>
        questions.ReadAsync(time.GetUtcNow() - TimeSpan.FromDays(options.Value.Days), MaxQuestions, cancellationToken);

    public async Task<QuestionStats> QuestionStatsAsync(CancellationToken cancellationToken)
    {
        var recent = await RecentQuestionsAsync(cancellationToken);
        var days = recent
            .GroupBy(q => (Day: DateOnly.FromDateTime(q.At.UtcDateTime), q.Platform))
            .Select(g => new DayStats(g.Key.Day, g.Key.Platform, g.Count(), g.Count(q => q.Declined), Percentile(g, 0.5), Percentile(g, 0.95)))
            .OrderBy(d => d.Day).ThenBy(d => d.Platform, StringComparer.Ordinal)
            .ToList();
        var votes = await feedback.VotesAsync(cancellationToken);
        return new QuestionStats(days, recent.Count, recent.Count == 0 ? 0 : recent.Count(q => q.Declined) / (double)recent.Count,
            Percentile(recent, 0.5), Percentile(recent, 0.95), votes.Count == 0 ? 0 : votes.Count(v => v.Vote > 0) / (double)votes.Count, votes.Count);
    }

    public async Task<IReadOnlyList<ContentGap>> GapsAsync(CancellationToken cancellationToken)
    {
        if (!ShowsText)
            return [];
        var recent = await RecentQuestionsAsync(cancellationToken);
        return ContentGaps.Group(recent.Where(q => q.Declined), text => ContentGaps.TermsOf(queryBuilder.Build(text, store.Lexical)));
    }

    /// <summary>The 👎 votes, newest first, and how many answers cite an article changed since.</summary>
    public async Task<(IReadOnlyList<FeedbackVote> Down, int Stale)> FeedbackAsync(CancellationToken cancellationToken)
    {
        var votes = await feedback.VotesAsync(cancellationToken);
        var down = votes.Where(v => v.Vote < 0).OrderByDescending(v => v.At)
            .Select(v => ShowsText ? v : v with { Question = null, Answer = null })
            .ToList();
        return (down, await conversations.StaleAnswersAsync(store, cancellationToken));
    }

    public async Task<CatalogPage> ArticlesAsync(string? query, int page, CancellationToken cancellationToken)
    {
        var all = await catalog.ListAsync(cancellationToken);
        var text = (query ?? "").Trim();
        var cut = text.Length > MaxQueryLength;
        if (cut)
            text = text[..MaxQueryLength];
        var folded = Fold(text);
        var matching = folded.Length == 0 ? all : all.Where(a => Fold(a.Title).Contains(folded, StringComparison.Ordinal) || Fold(a.Source ?? "").Contains(folded, StringComparison.Ordinal)).ToList();
        var pages = Math.Max(1, (matching.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pages);
        var shown = matching.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        var withChunks = await store.GetArticlesWithChunksAsync(shown.Select(a => a.Id).ToList(), cancellationToken);
        var cited = (await RecentQuestionsAsync(cancellationToken)).SelectMany(q => q.Cited).GroupBy(a => a, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rows = shown.Select(a => new CatalogRow(a, withChunks.TryGetValue(a.Id, out var w) ? w.Chunks.Count : 0, cited.GetValueOrDefault(a.Id))).ToList();
        return new CatalogPage(rows, matching.Count, page, pages, text, cut);
    }

    public async Task<(Article Article, IReadOnlyList<ChunkRecord> Chunks)?> ArticleAsync(string id, CancellationToken cancellationToken)
    {
        var article = await store.GetArticleAsync(id, cancellationToken);
        return article is null ? null : (article, await store.GetArticleChunksAsync(id, cancellationToken));
    }

    /// <summary>Titles of the given articles (those still in the index).</summary>
    public async Task<IReadOnlyDictionary<string, Article>> ArticlesByIdAsync(IEnumerable<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.ToHashSet(StringComparer.Ordinal);
        return (await catalog.ListAsync(cancellationToken)).Where(a => wanted.Contains(a.Id)).ToDictionary(a => a.Id, StringComparer.Ordinal);
    }

    public async Task<(IngestionReport Report, IndexCounts Counts)> ReindexAsync(CancellationToken cancellationToken)
    {
        var report = await ingester.SyncAsync(null, cancellationToken);
        return (report, await store.GetCountsAsync(cancellationToken));
    }

    private static double Percentile(IEnumerable<LoggedQuestion> items, double p)
    {
        var times = items.Select(q => q.LatencyMs).Order().ToList();
        return times.Count == 0 ? 0 : times[Math.Clamp((int)Math.Ceiling(p * times.Count) - 1, 0, times.Count - 1)];
    }

    private static string Fold(string text) => Core.Foundation.Text.TextFolding.Fold(text);

    /// <summary>The endpoint without credentials or query string (a key may hide in either).</summary>
    internal static string? SafeEndpoint(string? endpoint) =>
        endpoint is null ? null : Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? $"{uri.Scheme}://{uri.Host}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}{uri.AbsolutePath}" : "(not a valid URL)";

    /// <summary>The error without the key, the endpoint's credentials or its query string, should the message quote them.</summary>
    private static (DateTimeOffset At, string Message)? Redacted((DateTimeOffset At, string Message)? error, string? key, string? endpoint)
    {
        if (error is not { } e)
            return null;
        var message = e.Message;
        var secrets = new List<string?> { key, endpoint };
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            secrets.AddRange([uri.UserInfo, uri.Query.TrimStart('?'), Uri.UnescapeDataString(uri.UserInfo)]);
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)).OrderByDescending(s => s!.Length))
            message = message.Replace(secret!, "[redacted]", StringComparison.Ordinal);
        return (e.At, message);
    }
}
