using System.Diagnostics;
using ChatBot.Core.Ingestion;

namespace ChatBot.Core.Indexing;

/// <summary>What a copy between stores did.</summary>
public sealed record CopyReport(IndexEmbedder Embedder, int Articles, int Chunks, int AlreadyThere, int OnlyInTarget, TimeSpan Elapsed);

/// <summary>
/// Copies an index from one store to another (SQLite to PostgreSQL, or back): every article with its text, chunks and
/// vectors, and the corpus file fingerprints. Nothing is embedded again, first-seen times are kept (the digest does not
/// see old articles as new), and the target is opened for the source's embedder. Batches are atomic; an interrupted
/// copy can be run again and skips the articles already copied.
/// </summary>
public static class IndexCopier
{
    private const int BatchSize = 100;

    public static async Task<CopyReport> CopyAsync(IIndexStore source, IIndexStore target, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var embedder = await source.ReadEmbedderAsync(cancellationToken)
            ?? throw new IndexStoreException($"There is no index at {source.Location} to copy: build one first with `index`.");
        await source.OpenAsync(embedder.Id, embedder.Dimensions, cancellationToken);
        await target.OpenAsync(embedder.Id, embedder.Dimensions, cancellationToken);

        var there = await target.GetArticleStatesAsync(cancellationToken);
        var articles = await source.ListArticlesAsync(cancellationToken);
        var (copied, chunks, skipped) = (0, 0, 0);
        var batch = new IndexChanges { KeepTimestamps = true };
        foreach (var listed in articles)
        {
            if (there.TryGetValue(listed.Id, out var state) && state.ContentHash.Length > 0 && state.ContentHash == listed.ContentHash)
            {
                skipped++;
                continue;
            }
            var article = await source.GetArticleAsync(listed.Id, cancellationToken);
            if (article is null)
                continue; // removed from the source meanwhile
            var articleChunks = await source.ExportArticleChunksAsync(article.Id, cancellationToken);
            batch.Updates.Add(new ArticleUpdate(article, articleChunks));
            copied++;
            chunks += articleChunks.Count;
            if (batch.Updates.Count == BatchSize)
            {
                await target.ApplyAsync(batch, cancellationToken);
                progress?.Report(copied + skipped);
                batch = new IndexChanges { KeepTimestamps = true };
            }
        }
        // The fingerprints go last: a file counts as indexed in the target only once its article is there.
        foreach (var (path, fingerprint) in await source.GetFileFingerprintsAsync(cancellationToken))
            batch.Files[path] = fingerprint;
        await target.ApplyAsync(batch, cancellationToken);
        progress?.Report(copied + skipped);

        var sourceIds = articles.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);
        return new CopyReport(embedder, copied, chunks, skipped, there.Keys.Count(id => !sourceIds.Contains(id)), clock.Elapsed);
    }
}
