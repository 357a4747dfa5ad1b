using System.Diagnostics;
using ChatBot.Core.Embeddings;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// Hybrid retrieval through the vector store's keyword-hybrid search (BM25 + vectors, rank-fused), then at most
/// <see cref="RetrievalOptions.MaxChunksPerArticle"/> chunks per article, each widened by its neighbours.
/// </summary>
public sealed class HybridRetriever(
    IndexOpener opener,
    IIndexStore store,
    ArticleCatalog catalog,
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    QueryBuilder queryBuilder,
    EvidenceScorer evidenceScorer,
    Reranker reranker,
    IOptions<RetrievalOptions> options,
    TimeProvider time)
{
    /// <summary>Added to the rerank score (fused score ≤ 1, coverages ≤ 1.5) of an article published in the period named.</summary>
    private const double PublicationBonus = 0.5;

    public async Task<RetrievalResult> RetrieveAsync(string question, int? topK, CancellationToken cancellationToken, int? maxChunksPerArticle = null)
    {
        var cap = maxChunksPerArticle ?? options.Value.MaxChunksPerArticle;
        var clock = Stopwatch.StartNew();
        await opener.EnsureOpenAsync(cancellationToken);
        var intent = DateIntents.Parse(question, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var query = queryBuilder.Build(intent.IsEmpty ? question : intent.Remainder);
        var k = topK ?? options.Value.TopK;
        if (query.Groups.Count == 0)
        {
            if (intent.IsEmpty)
                return new RetrievalResult(query, [], Evidence.None, clock.Elapsed);
            var newest = await NewestAsync(intent, k, cancellationToken);
            return new RetrievalResult(query, newest, newest.Count == 0 ? Evidence.None : Evidence.DatesOnly, clock.Elapsed);
        }
        var dated = intent.IsEmpty ? null : await catalog.PublishedAsync(cancellationToken);

        var weights = await evidenceScorer.WeighAsync(query, cancellationToken);
        var vector = embedder is IWeightedQueryEmbedder weighted
            ? weighted.EmbedWeighted(weights.Weights.Select(w => (string.Join(' ', w.Key.Translations.Prepend(w.Key.Word)), (float)w.Value)))
            : (await embedder.GenerateAsync([query.EmbeddingText], EmbeddingInput.For(EmbeddingInput.Query), cancellationToken))[0].Vector;
        var candidates = new List<(ChunkRecord Chunk, double Score)>();
        var depth = Math.Max(options.Value.RerankDepth, k * cap) * (intent.HasRange ? 4 : 1);
        await foreach (var hit in store.HybridSearch.HybridSearchAsync(vector, query.Keywords.ToList(), depth, cancellationToken: cancellationToken))
        {
            // A date range keeps only articles published in it; an undated article is never taken to match one.
            if (dated is not null && intent.HasRange && !intent.Contains(dated.GetValueOrDefault(hit.Record.ArticleId)))
                continue;
            candidates.Add((hit.Record, hit.Score ?? 0));
        }

        var hits = new List<(ChunkRecord Chunk, double Score)>();
        var perArticle = new Dictionary<string, int>(StringComparer.Ordinal);
        var ranked = reranker.Rerank(candidates, weights);
        if (dated is not null && (intent.PreferredFrom is not null || intent.PreferredTo is not null))
        {
            // "en 2015": articles published then are favoured, the others still compete (the year may be the events').
            ranked = ranked
                .Select(r => (r.Chunk, Score: r.Score + (intent.Preferred(dated.GetValueOrDefault(r.Chunk.ArticleId)) ? PublicationBonus : 0)))
                .OrderByDescending(r => r.Score)
                .ToList();
        }
        if (intent.Newest && dated is not null && ranked.Count > 0)
        {
            // "The latest article about…": among the good matches, the newest first.
            var floor = ranked[0].Score * 0.6;
            ranked = ranked.Where(r => r.Score >= floor)
                .OrderByDescending(r => dated.GetValueOrDefault(r.Chunk.ArticleId) ?? DateOnly.MinValue)
                .ThenByDescending(r => r.Score)
                .Concat(ranked.Where(r => r.Score < floor))
                .ToList();
        }
        foreach (var hit in ranked)
        {
            var count = perArticle.GetValueOrDefault(hit.Chunk.ArticleId);
            if (count >= cap)
                continue;
            perArticle[hit.Chunk.ArticleId] = count + 1;
            hits.Add(hit);
            if (hits.Count == k)
                break;
        }

        var passages = await WidenAsync(hits, cancellationToken);
        var evidence = evidenceScorer.Score(weights, passages);
        return new RetrievalResult(query, passages, evidence, clock.Elapsed);
    }

    /// <summary>For a question about dates alone: the first chunk of the newest articles in the range.</summary>
    private async Task<List<Passage>> NewestAsync(DateIntent intent, int k, CancellationToken cancellationToken)
    {
        var articles = (await catalog.ListAsync(cancellationToken))
            .Where(a => a.Published is not null && (!intent.HasRange || intent.Contains(a.Published)))
            .Take(k);
        var hits = new List<(ChunkRecord Chunk, double Score)>();
        foreach (var article in articles)
        {
            var chunks = await store.GetArticleChunksAsync(article.Id, cancellationToken);
            if (chunks.Count > 0)
                hits.Add((chunks[0], 1.0 / (hits.Count + 1)));
        }
        return await WidenAsync(hits, cancellationToken);
    }

    /// <summary>Joins each hit with its neighbouring chunks; two hits of one article that touch become one passage.</summary>
    private async Task<List<Passage>> WidenAsync(List<(ChunkRecord Chunk, double Score)> hits, CancellationToken cancellationToken)
    {
        var passages = new List<Passage>();
        var articles = new Dictionary<string, (ArticleRecord Article, IReadOnlyList<ChunkRecord> Chunks)>(StringComparer.Ordinal);
        foreach (var (chunk, score) in hits)
        {
            if (!articles.TryGetValue(chunk.ArticleId, out var entry))
            {
                var article = await store.GetArticleAsync(chunk.ArticleId, cancellationToken);
                if (article is null)
                    continue; // removed between search and now
                entry = (article, await store.GetArticleChunksAsync(chunk.ArticleId, cancellationToken));
                articles[chunk.ArticleId] = entry;
            }
            var neighbours = entry.Chunks
                .Where(c => Math.Abs(c.Ordinal - chunk.Ordinal) <= options.Value.NeighbourChunks)
                .ToList();
            var start = neighbours.Count > 0 ? neighbours.Min(c => c.Start) : chunk.Start;
            var end = neighbours.Count > 0 ? neighbours.Max(c => c.End) : chunk.End;
            var overlapping = passages.FindIndex(p => p.ArticleId == chunk.ArticleId && p.Start <= end && start <= p.End);
            if (overlapping >= 0)
            {
                var existing = passages[overlapping];
                passages[overlapping] = existing with { Start = Math.Min(existing.Start, start), End = Math.Max(existing.End, end) };
                continue;
            }
            var a = entry.Article;
            passages.Add(new Passage(passages.Count + 1, a.Id, a.Title, a.Source, a.Published, a.Url, a.Text, start, end, chunk.Start, chunk.End, score));
        }
        return passages;
    }
}
