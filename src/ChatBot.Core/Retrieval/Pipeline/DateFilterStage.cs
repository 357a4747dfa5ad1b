using ChatBot.Core.Indexing;

namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>
/// "cette semaine", "depuis juin": only articles published in the range stay (an undated article never matches one).
/// Reads the publication dates any dated question needs, for the boosts too.
/// </summary>
public sealed class DateFilterStage(ArticleCatalog catalog) : IRetrievalStage
{
    public string Name => "date-filter";

    public async ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken)
    {
        if (context.Intent.IsEmpty)
            return;
        var published = await catalog.PublishedAsync(cancellationToken);
        context.Published = published;
        if (context.Intent.HasRange)
            context.Candidates.RemoveAll(c => !context.Intent.Contains(published.GetValueOrDefault(c.Record!.ArticleId)));
    }
}
