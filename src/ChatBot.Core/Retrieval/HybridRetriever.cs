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
    IEmbeddingGenerator<string, Embedding<float>> embedder,
    QueryBuilder queryBuilder,
    EvidenceScorer evidenceScorer,
    Reranker reranker,
    IOptions<RetrievalOptions> options)
{
    public async Task<RetrievalResult> RetrieveAsync(string question, int? topK, CancellationToken cancellationToken, int? maxChunksPerArticle = null)
    {
        var cap = maxChunksPerArticle ?? options.Value.MaxChunksPerArticle;
        var clock = Stopwatch.StartNew();
        await opener.EnsureOpenAsync(cancellationToken);
        var query = queryBuilder.Build(question);
        var k = topK ?? options.Value.TopK;
        if (query.Groups.Count == 0)
            return new RetrievalResult(query, [], Evidence.None, clock.Elapsed);

        var weights = await evidenceScorer.WeighAsync(query, cancellationToken);
        var vector = embedder is HashingEmbeddingGenerator hashing
            ? hashing.EmbedWeighted(weights.Weights.Select(w => (string.Join(' ', w.Key.Translations.Prepend(w.Key.Word)), (float)w.Value)))
            : (await embedder.GenerateAsync([query.EmbeddingText], EmbeddingInput.For(EmbeddingInput.Query), cancellationToken))[0].Vector;
        var candidates = new List<(ChunkRecord Chunk, double Score)>();
        var depth = Math.Max(options.Value.RerankDepth, k * cap);
        await foreach (var hit in store.HybridSearch.HybridSearchAsync(vector, query.Keywords.ToList(), depth, cancellationToken: cancellationToken))
            candidates.Add((hit.Record, hit.Score ?? 0));

        var hits = new List<(ChunkRecord Chunk, double Score)>();
        var perArticle = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var hit in reranker.Rerank(candidates, weights))
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
        var evidence = await evidenceScorer.ScoreAsync(query, passages, cancellationToken);
        return new RetrievalResult(query, passages, evidence, clock.Elapsed);
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
