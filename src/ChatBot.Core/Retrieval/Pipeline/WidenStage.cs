using ChatBot.Core.Indexing;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>Each hit joined with its neighbouring chunks; two hits of one article that touch become one passage.</summary>
public sealed class WidenStage(IIndexStore store, IOptions<RetrievalOptions> options) : IRetrievalStage
{
    public string Name => "widen";

    public async ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        var passages = context.Passages;
        var ids = context.Candidates.Select(c => c.Record!.ArticleId).ToHashSet(StringComparer.Ordinal);
        var articles = await store.GetArticlesWithChunksAsync(ids, cancellationToken);
        foreach (var candidate in context.Candidates)
        {
            var chunk = candidate.Record!;
            if (!articles.TryGetValue(chunk.ArticleId, out var entry))
                continue; // removed between search and now
            var neighbours = entry.Chunks.Where(c => Math.Abs(c.Ordinal - chunk.Ordinal) <= options.Value.NeighbourChunks).ToList();
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
            passages.Add(new Passage(passages.Count + 1, a.Id, a.Title, a.Source, a.Published, a.Url, a.Text, start, end, chunk.Start, chunk.End, candidate.Score)
            {
                Scores = new StageScores(candidate.Lexical?.Score ?? 0, candidate.Vector, candidate.Rerank, candidate.Boost),
            });
        }
    }
}
