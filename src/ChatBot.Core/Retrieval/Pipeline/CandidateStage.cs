using ChatBot.Core.Indexing;
using ChatBot.Core.Ingestion.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>
/// The first ranking: fused fielded BM25 over every analyser (<see cref="Search.LexicalIndex"/>) for the question's
/// topic (its function words wait for the features), joined by the
/// vector neighbours when vectors weigh anything (<see cref="FusionOptions.VectorWeight"/>; nothing with the hashing
/// embedder, whose vectors repeat BM25's signal), then the chunk records of the best <see cref="RetrievalOptions.RerankDepth"/>.
/// </summary>
public sealed class CandidateStage(
    IIndexStore store, IEmbeddingGenerator<string, Embedding<float>> embedder, IOptions<RetrievalOptions> options, IOptions<FusionOptions> fusion) : IRetrievalStage
{
    public string Name => "candidates";

    public async ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        var depth = Math.Max(options.Value.RerankDepth, context.TopK * context.MaxPerArticle) * (context.Intent.HasRange ? 4 : 1);
        var lexical = store.Lexical.Search(context.Query.TopicLexical, depth);
        var candidates = lexical.Select(h => new RetrievalCandidate(h.Id) { Lexical = h }).ToList();

        var vectorWeight = fusion.Value.EffectiveVectorWeight(embedder);
        if (vectorWeight > 0)
        {
            var vector = (await embedder.GenerateAsync([context.Query.EmbeddingText], EmbeddingInput.For(EmbeddingInput.Query), cancellationToken))[0].Vector;
            var byId = candidates.ToDictionary(c => c.Id);
            foreach (var (id, score) in await store.NearestAsync(vector, depth, cancellationToken))
            {
                if (!byId.TryGetValue(id, out var candidate))
                    candidates.Add(byId[id] = candidate = new RetrievalCandidate(id));
                candidate.Vector = Math.Max(0, score);
            }
            // Both lists scaled by their best and summed with their weights, so the union can be cut to depth.
            var bestLexical = Math.Max(1e-9, candidates.Max(c => c.Lexical?.Score ?? 0));
            var bestVector = Math.Max(1e-9, candidates.Max(c => c.Vector));
            candidates = candidates
                .OrderByDescending(c => (c.Lexical?.Score ?? 0) / bestLexical + vectorWeight * c.Vector / bestVector)
                .ThenBy(c => c.Id)
                .Take(depth)
                .ToList();
        }

        var records = await store.GetChunksAsync(candidates.Select(c => c.Id).ToList(), cancellationToken);
        foreach (var candidate in candidates)
            candidate.Record = records.GetValueOrDefault(candidate.Id);
        // A chunk removed between the search and now is gone.
        context.Candidates = candidates.Where(c => c.Record is not null).ToList();
    }
}
