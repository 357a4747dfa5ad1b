using ChatBot.Core.Indexing;
using ChatBot.Core.Retrieval.Ranking;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>The reranker's features for every candidate (<see cref="RankingFeatures"/>), from the index's statistics and the chunks' text.</summary>
public sealed class FeatureStage(IIndexStore store, ChunkAnalysisCache analyses) : IRetrievalStage
{
    public string Name => "features";

    public ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        var candidates = context.Candidates;
        if (candidates.Count == 0)
            return ValueTask.CompletedTask;
        var query = context.Query.Lexical;
        var description = store.Lexical.Describe(query, candidates.Select(c => c.Id).ToList());
        var ranking = candidates.Select(c => new RankingCandidate(
            c.Id, c.Record!.Title, c.Record.Text, c.Record.Ordinal,
            c.Lexical ?? LexicalHitsOf.Empty, c.Vector)).ToList();
        var features = RankingFeatures.Compute(query, context.Query.Searched.Select(c => c.IsName).Concat(context.Query.Expansions.Select(_ => false)).ToList(), ranking, description, analyses, Expected(context.Query.AnswerType));
        for (var i = 0; i < candidates.Count; i++)
            candidates[i].Features = features[i];
        return ValueTask.CompletedTask;
    }

    /// <summary>The entity a passage holding the answer should contain.</summary>
    public static EntityKinds Expected(AnswerType type) => type switch
    {
        AnswerType.Date => EntityKinds.Time,
        AnswerType.Number or AnswerType.Age => EntityKinds.Number,
        AnswerType.Person or AnswerType.Place => EntityKinds.Name,
        _ => EntityKinds.None,
    };
}

/// <summary>A candidate found by vectors alone has no lexical part.</summary>
internal static class LexicalHitsOf
{
    public static Indexing.Lexical.LexicalHit Empty { get; } = new(0, 0)
    {
        Fielded = new float[Foundation.Text.WordAnalysers.Count],
        Body = new float[Foundation.Text.WordAnalysers.Count],
        Title = new float[Foundation.Text.WordAnalysers.Count],
        Document = new float[Foundation.Text.WordAnalysers.Count],
        Best = new float[Foundation.Text.WordAnalysers.Count],
    };
}
