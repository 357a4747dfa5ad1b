using System.Diagnostics;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Core.Ingestion.Embeddings;
using ChatBot.Core.Ingestion.Sources;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Ingestion;

/// <summary>What storing one fetched article did.</summary>
public enum WebIngestOutcome
{
    Added,
    Updated,
    Unchanged,
    Empty,
}

/// <summary>A page's article as read, where it was fetched from, and the validators to send next time.</summary>
public sealed record FetchedDocument(SourceDocument Document, string FetchedFrom, string? Validators);

/// <summary>The article as built from a fetched page, and what storing it did.</summary>
public sealed record WebIngest(Article Article, WebIngestOutcome Outcome);


/// <summary>
/// Brings the index in line with the corpus folder: new and changed articles are cleaned, chunked, embedded and
/// stored; articles whose files are gone are removed; unchanged files are not even read (size and time match).
/// A file that cannot be read keeps whatever was indexed from it before. One pass runs at a time.
/// </summary>
public sealed partial class CorpusIngester(
    IArticleStore store,
    CorpusReader reader,
    ArticleBuilder builder,
    Chunker chunker,
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    IOptions<CorpusOptions> options,
    ILogger<CorpusIngester> logger,
    TimeProvider? time = null,
    BotMetrics? metrics = null) : IDisposable
{
    private const int BatchArticles = 64;
    private readonly SemaphoreSlim _pass = new(1, 1);

    public void Dispose() => _pass.Dispose();

    public string CorpusPath => Path.GetFullPath(options.Value.Path);

    /// <summary>What the last finished pass of this process did (its warnings name the files skipped and why), and when it ended.</summary>
    public (IngestionReport Report, DateTimeOffset At)? LastPass { get; private set; }

    public async Task<IngestionReport> SyncAsync(IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            return await RunPassAsync(progress, cancellationToken);
        }
        finally { _pass.Release(); }
    }

    private async Task<IngestionReport> RunPassAsync(IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!Directory.Exists(CorpusPath) && !File.Exists(CorpusPath))
            throw new CorpusNotFoundException($"The corpus folder '{CorpusPath}' does not exist. Create it or set ChatBot:Corpus:Path (environment: ChatBot__Corpus__Path).");

        var files = reader.ListFiles(CorpusPath);
        if (files.Count == 0)
            LogEmptyCorpus(logger, CorpusPath, string.Join(", ", reader.SupportedExtensions.Order()));
        var fingerprints = await store.GetFileFingerprintsAsync(cancellationToken);
        var stored = await store.GetArticleStatesAsync(cancellationToken);
        var storedByPath = stored.ToLookup(a => a.Value.Path, a => a.Key, StringComparer.Ordinal);

        var warnings = new List<CorpusWarning>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new List<Article>();
        var fileUpdates = new Dictionary<string, string?>(StringComparer.Ordinal);
        var unchanged = 0;
        var written = new PassTotals();

        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (fingerprints.GetValueOrDefault(file.RelativePath) == file.Fingerprint)
            {
                var kept = storedByPath[file.RelativePath];
                seen.UnionWith(kept);
                unchanged += kept.Count();
                continue;
            }
            ParsedFile? parsed = reader.Read(file);
            warnings.AddRange(parsed.Warnings);
            if (parsed.Count == 0 && parsed.Warnings.Count > 0)
            {
                // Unusable: keep what was indexed from it. Its fingerprint is recorded, so that the warning is given once
                // per version of the file (not on every pass and every `ask`), unless the cause may pass by itself.
                seen.UnionWith(storedByPath[file.RelativePath]);
                if (!parsed.Retry)
                    fileUpdates[file.RelativePath] = file.Fingerprint;
                continue;
            }
            // What this file adds to the work: the total the progress counts towards grows as files are read.
            var toEmbed = parsed.Keys.Where(d => !seen.Contains(d.Id)).DistinctBy(d => d.Id)
                .Count(d => !(stored.TryGetValue(d.Id, out var known) && known.ContentHash == d.ContentHash && known.Path == d.Path));
            if (toEmbed > 0)
            {
                written.Expected += toEmbed;
                progress?.Report(new IngestionProgress(written.Done, written.Expected, null));
            }
            // Taken one by one, so that a document's raw text can be collected once its batch is stored: a file read
            // whole is dequeued, a large .jsonl is read again an article at a time, never held whole.
            var streamed = parsed.Streamed;
            using var reading = (streamed?.Read() ?? Drain(new Queue<SourceDocument>(parsed.Documents))).GetEnumerator();
            parsed = null;
            while (reading.MoveNext())
            {
                var document = reading.Current;
                if (!seen.Add(document.Id))
                {
                    warnings.Add(new CorpusWarning(file.RelativePath, $"article id \"{document.Id}\" is already used by another file; skipped"));
                    continue;
                }
                if (stored.TryGetValue(document.Id, out var state) && state.ContentHash == document.ContentHash && state.Path == document.Path)
                {
                    unchanged++;
                    continue;
                }
                var article = builder.Build(document);
                if (article.Text.Length == 0)
                {
                    warnings.Add(new CorpusWarning(file.RelativePath, $"article \"{document.Id}\" has no text left once page furniture is removed; skipped"));
                    seen.Remove(document.Id);
                    written.Expected--;
                    continue;
                }
                pending.Add(article);
                if (pending.Count == BatchArticles)
                {
                    // Embedded and stored while the corpus is still being read: a pass holds one batch of articles
                    // in memory, not every article it will write.
                    await StoreBatchAsync(pending, stored, written, final: null, progress, cancellationToken);
                    pending.Clear();
                }
            }
            if (streamed?.Interrupted is { } why)
            {
                // Changed or gone while it was read: what was read is kept, the file is read again next pass.
                warnings.Add(new CorpusWarning(file.RelativePath, $"could not be read to the end ({why}); what was read is kept and the file is read again next pass"));
                seen.UnionWith(storedByPath[file.RelativePath]);
                continue;
            }
            fileUpdates[file.RelativePath] = file.Fingerprint;
        }
        var present = files.Select(f => f.RelativePath).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in fingerprints.Keys.Where(p => !present.Contains(p) && !WebArticles.IsWebPath(p)))
            fileUpdates[gone] = null;

        foreach (var warning in warnings)
            LogCorpusWarning(logger, warning.Path, warning.Message);

        // Articles fetched from the web are not the folder's to remove.
        var removed = stored.Where(a => !seen.Contains(a.Key) && !WebArticles.IsWebPath(a.Value.Path)).Select(a => a.Key).ToList();
        // Deletions and file fingerprints go with the last batch: if the pass dies earlier, the next one re-reads those
        // files and finds the finished articles unchanged by their hashes.
        await StoreBatchAsync(pending, stored, written, (removed, fileUpdates), progress, cancellationToken);
        var report = new IngestionReport(CorpusPath, files.Count, written.Added, written.Updated, removed.Count, unchanged, written.Chunks, warnings, clock.Elapsed);
        LogPass(logger, report.ToString());
        metrics?.Ingested(report.Added, report.Updated, report.Removed, warnings.Count);
        LastPass = (report, (time ?? TimeProvider.System).GetUtcNow());
        return report;
    }

    /// <summary>The documents of a file read whole, each let go as it is taken.</summary>
    private static IEnumerable<SourceDocument> Drain(Queue<SourceDocument> documents)
    {
        while (documents.TryDequeue(out var document))
            yield return document;
    }

    /// <summary>
    /// Stores one article fetched from the web (its path is its canonical URL), with the validators to send next time
    /// under <paramref name="fetchedFrom"/>: added, updated, or unchanged when its content hash is the stored one.
    /// Runs between folder passes, never during one.
    /// </summary>
    public async Task<WebIngest> IngestWebAsync(SourceDocument document, string fetchedFrom, string? validators, CancellationToken cancellationToken) =>
        (await IngestWebAsync([new FetchedDocument(document, fetchedFrom, validators)], cancellationToken))[0];

    /// <summary>Stores fetched articles together (one change for the batch), each added, updated, unchanged or empty.</summary>
    public async Task<IReadOnlyList<WebIngest>> IngestWebAsync(IReadOnlyList<FetchedDocument> documents, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            // These articles' states alone: a site of thousands of pages is not read whole for each batch.
            var stored = new Dictionary<string, ArticleState>(StringComparer.Ordinal);
            foreach (var id in documents.Select(d => d.Document.Id).Distinct(StringComparer.Ordinal))
            {
                if (await store.GetArticleAsync(id, cancellationToken) is { } known)
                    stored[id] = new ArticleState(known.ContentHash, known.Path);
            }
            var results = new WebIngest[documents.Count];
            var batch = new List<Article>();
            var positions = new List<int>();
            var files = new Dictionary<string, string?>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < documents.Count; i++)
            {
                var (document, fetchedFrom, validators) = documents[i];
                var article = builder.Build(document);
                var same = stored.TryGetValue(document.Id, out var state) && state.ContentHash == document.ContentHash && state.Path == document.Path;
                if (same || !seen.Add(document.Id))
                {
                    if (validators is not null)
                        files[fetchedFrom] = validators;
                    results[i] = new WebIngest(article, WebIngestOutcome.Unchanged);
                    continue;
                }
                if (article.Text.Length == 0)
                {
                    seen.Remove(document.Id);
                    results[i] = new WebIngest(article, WebIngestOutcome.Empty);
                    continue;
                }
                files[fetchedFrom] = validators ?? "";
                batch.Add(article);
                positions.Add(i);
            }
            if (batch.Count > 0 || files.Count > 0)
                await StoreBatchAsync(batch, stored, new PassTotals(), ([], files), progress: null, cancellationToken);
            for (var k = 0; k < batch.Count; k++)
            {
                var added = !stored.ContainsKey(batch[k].Id);
                LogWebArticle(logger, batch[k].Id, batch[k].Path, added ? "added" : "updated");
                results[positions[k]] = new WebIngest(batch[k], added ? WebIngestOutcome.Added : WebIngestOutcome.Updated);
            }
            metrics?.Ingested(results.Count(r => r.Outcome == WebIngestOutcome.Added), results.Count(r => r.Outcome == WebIngestOutcome.Updated), 0, 0);
            return results;
        }
        finally { _pass.Release(); }
    }

    /// <summary>The validators (ETag, Last-Modified) remembered for each URL fetched before.</summary>
    public async Task<IReadOnlyDictionary<string, string>> WebValidatorsAsync(CancellationToken cancellationToken) =>
        (await store.GetFileFingerprintsAsync(cancellationToken)).Where(f => WebArticles.IsWebPath(f.Key)).ToDictionary(StringComparer.Ordinal);

    /// <summary>Remembers the validators of a URL that is not an article (a feed, a sitemap), so that a restart sends them too.</summary>
    public async Task RememberWebAsync(string url, string? validators, CancellationToken cancellationToken)
    {
        var changes = new IndexChanges();
        changes.Files[url] = validators;
        await store.ApplyAsync(changes, cancellationToken);
    }

    /// <summary>Removes an article fetched from the web whose page is gone (HTTP 404 or 410).</summary>
    public async Task<bool> RemoveWebAsync(string articleId, string fetchedFrom, CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.GetArticleStatesAsync(cancellationToken);
            if (!stored.TryGetValue(articleId, out var state) || !WebArticles.IsWebPath(state.Path))
                return false;
            var changes = new IndexChanges();
            changes.DeletedArticleIds.Add(articleId);
            changes.Files[fetchedFrom] = null;
            await store.ApplyAsync(changes, cancellationToken);
            LogWebArticle(logger, articleId, state.Path, "removed (the page is gone)");
            return true;
        }
        finally { _pass.Release(); }
    }

    private sealed class PassTotals
    {
        public int Added;
        public int Updated;
        public int Chunks;
        public int Done;
        public int Expected;
    }

    /// <summary>Embeds a batch of articles and applies it as one atomic change; the final batch also carries the pass's deletions and fingerprints.</summary>
    private async Task StoreBatchAsync(
        List<Article> batch, IReadOnlyDictionary<string, ArticleState> stored, PassTotals totals,
        (List<string> Removed, Dictionary<string, string?> Files)? final, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        var changes = new IndexChanges();
        var spans = batch.Select(a => chunker.Chunk(a.Id, a.Text)).ToList();
        var texts = spans.SelectMany((s, i) => s.Select(c => EmbeddingText(batch[i].Title, c.Text))).ToList();
        var vectors = texts.Count == 0 ? [] : await embedder.GenerateAsync(texts, EmbeddingInput.For(EmbeddingInput.Passage), cancellationToken);
        var next = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var article = batch[i];
            var records = spans[i].Select(span => new ChunkRecord
            {
                Key = span.Key,
                ArticleId = article.Id,
                Ordinal = span.Ordinal,
                Start = span.Start,
                End = span.End,
                Title = article.Title,
                Text = span.Text,
                Embedding = vectors[next++].Vector,
            }).ToList();
            changes.Updates.Add(new ArticleUpdate(article, records));
            totals.Chunks += records.Count;
            if (stored.ContainsKey(article.Id)) totals.Updated++; else totals.Added++;
        }
        if (final is { } last)
        {
            changes.DeletedArticleIds.AddRange(last.Removed);
            foreach (var (path, fingerprint) in last.Files)
                changes.Files[path] = fingerprint;
        }
        await store.ApplyAsync(changes, cancellationToken);
        if (batch.Count == 0)
            return;
        totals.Done += batch.Count;
        progress?.Report(new IngestionProgress(totals.Done, totals.Expected, batch[^1].Id));
        if (totals.Done % (BatchArticles * 8) == 0 && totals.Done < totals.Expected)
            LogProgress(logger, totals.Done, totals.Expected); // plain progress lines for logs and pipes; terminals get a bar
    }

    /// <summary>The title goes into each chunk's embedding too, so a chunk that never names its subject still matches it.</summary>
    private static string EmbeddingText(string title, string chunk) => title + "\n" + chunk;

    [LoggerMessage(Level = LogLevel.Information, Message = "Web article {Id} ({Url}) {What}")]
    private static partial void LogWebArticle(ILogger logger, string id, string url, string what);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Corpus file {Path}: {Message}")]
    private static partial void LogCorpusWarning(ILogger logger, string path, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The corpus folder {Path} has no article files ({Extensions})")]
    private static partial void LogEmptyCorpus(ILogger logger, string path, string extensions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Indexing: {Done}/{Total} articles embedded")]
    private static partial void LogProgress(ILogger logger, int done, int total);

    [LoggerMessage(Level = LogLevel.Information, Message = "Corpus synchronised: {Summary}")]
    private static partial void LogPass(ILogger logger, string summary);
}
