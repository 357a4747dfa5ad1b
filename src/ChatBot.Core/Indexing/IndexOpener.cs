using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Foundation.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace ChatBot.Core.Indexing;

/// <summary>
/// Opens the index once for the configured embedder: <see cref="IndexOpenerService"/> calls <see cref="OpenAsync"/>
/// when the host starts, before any other hosted service (the watcher, the digest, the chat adapters, the console)
/// and before a command-line verb runs. Components never open it: they rely on the host's start-up, and a store used
/// unopened says so. An embedder change is detected here and turns into a full re-embed on the next ingestion pass.
/// </summary>
public sealed partial class IndexOpener(
    IIndexStore store, IEmbeddingGenerator<string, Embedding<float>> embedder, TextAnalyzer analyzer, ArticleCatalog catalog,
    IEnumerable<IStartupWarmUp> warmUps, ILogger<IndexOpener> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile bool _open;

    public void Dispose() => _gate.Dispose();

    /// <summary>The embedder, the text analysis and the article cleaning: the index is rebuilt when any changes.</summary>
    public string EmbedderId { get; } = $"{Describe(embedder)}+{analyzer.Version}+articles-{Ingestion.Corpus.ArticleBuilder.Version}";

    /// <summary>Whether the index is open.</summary>
    public bool IsOpen => _open;

    /// <summary>What the open reads ahead in the background (the <see cref="IStartupWarmUp"/>s, the spelling table, the counts, the dates, the article list): done, or failed and logged.</summary>
    public Task WarmedUp { get; private set; } = Task.CompletedTask;

    /// <summary>Opens the index (once; later calls return at once). Called at start-up, not by components.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (IsOpen)
            return;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (IsOpen)
                return;
            // What the first question would wait for, read on another core while this one opens the index.
            var readAhead = Task.Run(() =>
            {
                foreach (var warmUp in warmUps)
                {
                    try { warmUp.WarmUp(); }
#pragma warning disable CA1031 // a warm-up only: the first question that needs it does the work again and reports any failure
                    catch (Exception ex) { LogWarmUpFailed(logger, ex); }
#pragma warning restore CA1031
                }
            }, CancellationToken.None);
            var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
            var dimensions = metadata?.DefaultModelDimensions
                ?? throw new InvalidOperationException($"The embedder {EmbedderId} does not state its dimensions.");
            if (await store.OpenAsync(EmbedderId, dimensions, cancellationToken))
                LogEmbedderChanged(logger, store.Location, EmbedderId);
            _open = true;
            // The spelling suggestions' table of words by gram (0.33 s for the first question that needed it at a million
            // chunks, when that question built it), the counts, the dates dated questions need, then the article list, read
            // now rather than by the first question that needs them (~0.6 s at 80k articles for the list).
            var afterOpen = Task.Run(async () =>
            {
                try
                {
                    store.Lexical.PrepareSimilar();
                    // Every decline names how many articles the corpus holds: the first count of a large database reads
                    // pages nothing else has read yet (2.4 s at a million chunks, 30 ms once they are cached).
                    await store.GetCountsAsync(CancellationToken.None);
                    await catalog.WarmUpAsync(CancellationToken.None);
                }
#pragma warning disable CA1031 // a warm-up only: the first question that needs the table or the list builds or reads it, and reports any failure
                catch (Exception ex) { LogWarmUpFailed(logger, ex); }
#pragma warning restore CA1031
            }, CancellationToken.None);
            WarmedUp = Task.WhenAll(readAhead, afterOpen);
        }
        finally { _gate.Release(); }
    }

    private static string Describe(IEmbeddingGenerator<string, Embedding<float>> embedder)
    {
        var metadata = embedder.GetService<EmbeddingGeneratorMetadata>();
        return $"{metadata?.ProviderName ?? embedder.GetType().Name}/{metadata?.DefaultModelId ?? "default"}";
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reading ahead of the first question (a word list, the spelling table, the counts, the article list) failed")]
    private static partial void LogWarmUpFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The index {Location} was built with another embedder or text analysis; every article will be indexed again with {Embedder}")]
    private static partial void LogEmbedderChanged(ILogger logger, string location, string embedder);
}
