using System.Globalization;
using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Retrieval.Ranking;

namespace ChatBot.Evaluation;

/// <summary>What a training run measured, and the model trained on every question.</summary>
public sealed record TrainingReport(int Questions, string CrossValidated, IReadOnlyList<string> Lines, Func<string, RankerModel> Model);

/// <summary>
/// Fits the reranker on a gold set: each question's candidates and features as the pipeline computes them, relevant
/// when they belong to the gold article; folds grouped by the gold article's title, so that no article (nor any
/// paragraph of the same encyclopaedia entry) is both trained and tested on; the reported figures are the held-out
/// folds'. The weights shipped are then fitted on every question.
/// </summary>
public sealed class RankerTraining(Retriever retriever, IIndexStore store)
{
    public static readonly ListwiseTrainer.Settings Settings = new(L2: 0.01, Iterations: 400);

    /// <param name="features">When given, every question's candidates (features, relevance, article ids, group) as JSON,
    /// for <c>tools/eval/ranker_experiments.py</c>.</param>
    public async Task<TrainingReport> RunAsync(IReadOnlyList<EvalQuestion> items, int folds, CancellationToken cancellationToken, string? features = null)
    {
        var data = new List<(TrainingQuery Query, List<string> Articles, string Gold)>();
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items.Where(i => i.Gold is not null))
        {
            var candidates = await retriever.RankingCandidatesAsync(item.Question, cancellationToken);
            if (candidates.Count == 0)
                continue;
            if (!titles.TryGetValue(item.Gold!, out var title))
                titles[item.Gold!] = title = LexicalIndex.TitleKey((await store.GetArticleAsync(item.Gold!, cancellationToken))?.Title ?? item.Gold!);
            var articles = candidates.Select(c => c.Record!.ArticleId).ToList();
            data.Add((new TrainingQuery(title, candidates.Select(c => c.Features!).ToArray(), articles.Select(a => a == item.Gold).ToArray()), articles, item.Gold!));
        }

        if (features is not null)
        {
            await File.WriteAllTextAsync(features, System.Text.Json.JsonSerializer.Serialize(new
            {
                names = RankingFeatures.Names,
                questions = data.Select(d => new { g = d.Query.Group, x = d.Query.Features, r = d.Query.Relevant, a = d.Articles, gold = d.Gold }),
            }), cancellationToken);
        }
        // Folds by title, assigned in a fixed order so that a run is reproducible.
        var groups = data.Select(d => d.Query.Group).Distinct().Order(StringComparer.Ordinal).ToList();
        var foldOf = groups.Select((g, i) => (g, i)).ToDictionary(x => x.g, x => x.i % folds, StringComparer.Ordinal);
        var scores = new float[data.Count][];
        for (var k = 0; k < folds; k++)
        {
            var training = data.Where(d => foldOf[d.Query.Group] != k).Select(d => d.Query).ToList();
            var ranker = new LinearRanker(ListwiseTrainer.Train(training, RankingFeatures.Names, "fold", Settings));
            for (var i = 0; i < data.Count; i++)
            {
                if (foldOf[data[i].Query.Group] == k)
                    scores[i] = data[i].Query.Features.Select(f => ranker.Score(f)).ToArray();
            }
        }
        var total = items.Count(i => i.Gold is not null);
        var fused = Metrics(data, total, i => data[i].Query.Features.Select(f => f[0]).ToArray());
        var reranked = Metrics(data, total, i => scores[i]);
        var inCandidates = data.Count(d => d.Query.Relevant.Any(r => r)) / (double)Math.Max(1, items.Count);
        var lines = new List<string>
        {
            $"{data.Count} questions with candidates; gold article among the candidates for {inCandidates:0.000} of all",
            $"first ranking (fused fielded BM25):   {fused}",
            $"reranked ({folds}-fold CV by title):       {reranked}",
        };
        var all = data.Select(d => d.Query).ToList();
        return new TrainingReport(items.Count, reranked, lines, provenance => ListwiseTrainer.Train(all, RankingFeatures.Names, provenance, Settings));
    }

    private static string Metrics(List<(TrainingQuery Query, List<string> Articles, string Gold)> data, int total, Func<int, float[]> scorer)
    {
        int r1 = 0, r5 = 0, r10 = 0;
        double mrr = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var s = scorer(i);
            var ranking = Enumerable.Range(0, s.Length).OrderByDescending(j => s[j]).ThenBy(j => j).Select(j => data[i].Articles[j]).Distinct().ToList();
            var rank = ranking.IndexOf(data[i].Gold) + 1;
            if (rank == 1) r1++;
            if (rank is > 0 and <= 5) r5++;
            if (rank is > 0 and <= 10)
            {
                r10++;
                mrr += 1.0 / rank;
            }
        }
        double n = Math.Max(1, total);
        return string.Create(CultureInfo.InvariantCulture, $"R@1 {r1 / n:0.000} R@5 {r5 / n:0.000} R@10 {r10 / n:0.000} MRR@10 {mrr / n:0.000}");
    }
}
