using System.Diagnostics;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Indexing;
using ChatBot.Core.Retrieval.Pipeline;
using ChatBot.Core.Retrieval.Understanding;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// Retrieval as a pipeline of small stages (<see cref="IRetrievalStage"/>, run in the order they are registered):
/// candidates → date filter → features → rerank → boosts → cap per article → widen. The question is read first
/// (<see cref="QueryBuilder"/>), and the evidence that the passages answer it measured last (<see cref="EvidenceScorer"/>).
/// </summary>
public sealed class Retriever(
    IIndexStore store,
    ArticleCatalog catalog,
    QueryBuilder queryBuilder,
    EvidenceScorer evidenceScorer,
    IEnumerable<IRetrievalStage> stages,
    IOptions<RetrievalOptions> options,
    TimeProvider time,
    BotMetrics metrics)
{
    private readonly IReadOnlyList<IRetrievalStage> _stages = stages.ToList();

    /// <summary>Reads the question against the index (opening it first if need be).</summary>
    public async Task<(Query Query, DateIntent Intent)> UnderstandAsync(string question, CancellationToken cancellationToken)
    {
        var intent = DateIntents.Parse(question, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
        var query = queryBuilder.Build(intent.IsEmpty ? question : intent.Remainder, store.Lexical);
        return (query, intent);
    }

    public async Task<RetrievalResult> RetrieveAsync(string question, int? topK, CancellationToken cancellationToken, int? maxChunksPerArticle = null, RetrievalHints? hints = null)
    {
        using var span = BotMetrics.Traces.StartActivity("retrieve");
        var clock = Stopwatch.StartNew();
        var (query, intent) = await UnderstandAsync(question, cancellationToken);
        var understood = clock.Elapsed.TotalMilliseconds;
        var result = await RetrieveAsync(query, intent, topK, cancellationToken, maxChunksPerArticle, hints, clock);
        result = result with { StageTimings = [("understand", understood), .. result.StageTimings] };
        foreach (var (stage, milliseconds) in result.StageTimings)
            metrics.Stage(stage, milliseconds);
        span?.SetTag("chatbot.passages", result.Passages.Count);
        return result;
    }

    public async Task<RetrievalResult> RetrieveAsync(
        Query query, DateIntent intent, int? topK, CancellationToken cancellationToken, int? maxChunksPerArticle = null, RetrievalHints? hints = null, Stopwatch? clock = null)
    {
        clock ??= Stopwatch.StartNew();
        var k = topK ?? options.Value.TopK;
        if (query.IsEmpty)
        {
            if (intent.IsEmpty)
                return new RetrievalResult(query, [], Evidence.None, clock.Elapsed);
            var newest = await NewestAsync(intent, k, cancellationToken);
            return new RetrievalResult(query, newest, newest.Count == 0 ? Evidence.None : Evidence.DatesOnly, clock.Elapsed);
        }

        var started = clock.Elapsed;
        var weighed = await evidenceScorer.WeighAsync(query, cancellationToken);
        var context = new RetrievalContext(query, intent, k, maxChunksPerArticle ?? options.Value.MaxChunksPerArticle, hints ?? RetrievalHints.None);
        context.Timings.Add(("weigh", (clock.Elapsed - started).TotalMilliseconds));
        foreach (var stage in _stages)
        {
            started = clock.Elapsed;
            using var stageSpan = BotMetrics.Traces.StartActivity(stage.Name);
            await stage.RunAsync(context, cancellationToken);
            context.Timings.Add((stage.Name, (clock.Elapsed - started).TotalMilliseconds));
        }
        started = clock.Elapsed;
        var evidence = evidenceScorer.Score(weighed, context.Passages);
        context.Timings.Add(("evidence", (clock.Elapsed - started).TotalMilliseconds));
        return new RetrievalResult(query, context.Passages, evidence, clock.Elapsed) { StageTimings = context.Timings };
    }

    /// <summary>
    /// The candidates of a question with their features, as the reranker receives them (the stages before it run, no
    /// others): what <c>eval --train-ranker</c> learns from.
    /// </summary>
    public async Task<IReadOnlyList<RetrievalCandidate>> RankingCandidatesAsync(string question, CancellationToken cancellationToken)
    {
        var (query, intent) = await UnderstandAsync(question, cancellationToken);
        if (query.IsEmpty)
            return [];
        var context = new RetrievalContext(query, intent, options.Value.TopK, options.Value.MaxChunksPerArticle, RetrievalHints.None);
        foreach (var stage in _stages.TakeWhile(s => s is not RerankStage))
            await stage.RunAsync(context, cancellationToken);
        return context.Candidates;
    }

    /// <summary>For a question about dates alone: the first chunk of the newest articles in the range.</summary>
    private async Task<List<Passage>> NewestAsync(DateIntent intent, int k, CancellationToken cancellationToken)
    {
        var articles = (await catalog.ListAsync(cancellationToken))
            .Where(a => a.Published is not null && (!intent.HasRange || intent.Contains(a.Published)))
            .Take(k)
            .ToList();
        var read = await store.GetArticlesWithChunksAsync(articles.Select(a => a.Id).ToList(), cancellationToken);
        var passages = new List<Passage>();
        foreach (var listed in articles)
        {
            if (!read.TryGetValue(listed.Id, out var entry) || entry.Chunks.Count == 0)
                continue;
            var (article, chunks) = (entry.Article, entry.Chunks);
            var first = chunks[0];
            var end = chunks.Count > 1 ? chunks[1].End : first.End;
            passages.Add(new Passage(passages.Count + 1, article.Id, article.Title, article.Source, article.Published, article.Url, article.Text, first.Start, end, first.Start, first.End, 1.0 / (passages.Count + 1)));
        }
        return passages;
    }
}
