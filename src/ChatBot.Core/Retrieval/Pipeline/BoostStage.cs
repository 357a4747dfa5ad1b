namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>
/// What the question says beyond its words: "en 2015" favours articles published then (the year may also be the
/// events', so the others still compete); "le dernier article" puts the newest of the good matches first; a follow-up
/// favours the article the conversation was about.
/// </summary>
public sealed class BoostStage : IRetrievalStage
{
    /// <summary>In reranker units (a standardised linear score: one unit is a strong preference, not a certainty).</summary>
    private const double PublicationBonus = 1.5;
    private const double ConversationBonus = 1.0;

    public string Name => "boosts";

    public ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        var candidates = context.Candidates;
        if (candidates.Count == 0)
            return ValueTask.CompletedTask;
        var intent = context.Intent;
        var published = context.Published;
        var preferred = context.Hints.PreferredArticles;
        foreach (var candidate in candidates)
        {
            var article = candidate.Record!.ArticleId;
            if (published is not null && intent.Preferred(published.GetValueOrDefault(article)))
                candidate.Boost += PublicationBonus;
            if (preferred.Contains(article))
                candidate.Boost += ConversationBonus;
        }
        var ranked = candidates.OrderByDescending(c => c.Score).ThenBy(c => c.Id).ToList();
        if (intent.Newest && published is not null)
        {
            // "The latest article about…": among the good matches (60 % of the best first-stage score), the newest first.
            var floor = 0.6 * ranked.Max(r => r.Lexical?.Score ?? 0);
            bool Good(RetrievalCandidate r) => (r.Lexical?.Score ?? 0) >= floor;
            ranked = ranked.Where(Good)
                .OrderByDescending(r => published.GetValueOrDefault(r.Record!.ArticleId) ?? DateOnly.MinValue)
                .ThenByDescending(r => r.Score)
                .Concat(ranked.Where(r => !Good(r)))
                .ToList();
        }
        context.Candidates = ranked;
        return ValueTask.CompletedTask;
    }
}
