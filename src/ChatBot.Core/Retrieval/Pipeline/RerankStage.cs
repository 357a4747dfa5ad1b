using ChatBot.Core.Retrieval.Ranking;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>
/// The learned linear reranker (<see cref="LinearRanker"/>, weights from <c>eval --train-ranker</c>) orders the
/// candidates; with an embedding model, the vector similarity adds its configured weight on top.
/// </summary>
public sealed class RerankStage(LinearRanker ranker, IEmbeddingGenerator<string, Embedding<float>> embedder, IOptions<FusionOptions> fusion) : IRetrievalStage
{
    public string Name => "rerank";

    public ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        var candidates = context.Candidates;
        if (candidates.Count == 0)
            return ValueTask.CompletedTask;
        var vectorWeight = fusion.Value.EffectiveVectorWeight(embedder);
        var bestVector = Math.Max(1e-9, candidates.Max(c => c.Vector));
        foreach (var candidate in candidates)
            candidate.Rerank = ranker.Score(candidate.Features) + vectorWeight * candidate.Vector / bestVector;
        context.Candidates = candidates.OrderByDescending(c => c.Rerank).ThenBy(c => c.Id).ToList();
        return ValueTask.CompletedTask;
    }
}
