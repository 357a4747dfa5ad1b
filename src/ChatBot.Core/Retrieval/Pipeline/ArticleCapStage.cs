namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>At most <see cref="RetrievalContext.MaxPerArticle"/> chunks of one article, and <see cref="RetrievalContext.TopK"/> in all.</summary>
public sealed class ArticleCapStage : IRetrievalStage
{
    public string Name => "cap";

    public ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        var kept = new List<RetrievalCandidate>();
        var perArticle = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var candidate in context.Candidates)
        {
            var article = candidate.Record!.ArticleId;
            var count = perArticle.GetValueOrDefault(article);
            if (count >= context.MaxPerArticle)
                continue;
            perArticle[article] = count + 1;
            kept.Add(candidate);
            if (kept.Count == context.TopK)
                break;
        }
        context.Candidates = kept;
        return ValueTask.CompletedTask;
    }
}
