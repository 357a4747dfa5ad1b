using System.Diagnostics;
using ChatBot.Core.Retrieval;

namespace ChatBot.Evaluation;

/// <summary><see cref="DeclinedShare"/>: questions (all answerable in a gold set) the evidence test would decline.</summary>
public sealed record RetrievalScores(int Questions, double RecallAt1, double RecallAt5, double RecallAt10, double MrrAt10, double DeclinedShare, double MeanMs, double P50Ms, double P95Ms);

/// <summary>Recall@1/5/10 and MRR@10 of the gold article among the distinct articles retrieved for each question.</summary>
public static class RetrievalEvaluation
{
    public static async Task<RetrievalScores> RunAsync(HybridRetriever retriever, double minCoverage, IReadOnlyList<EvalQuestion> questions, CancellationToken cancellationToken)
    {
        int r1 = 0, r5 = 0, r10 = 0, declined = 0;
        double mrr = 0;
        var times = new List<double>(questions.Count);
        if (questions.Count > 0)
            await retriever.RetrieveAsync(questions[0].Question, 10, cancellationToken, maxChunksPerArticle: 1); // warm-up
        foreach (var item in questions)
        {
            var clock = Stopwatch.StartNew();
            var result = await retriever.RetrieveAsync(item.Question, 10, cancellationToken, maxChunksPerArticle: 1);
            times.Add(clock.Elapsed.TotalMilliseconds);
            if (result.Evidence.UnknownNames.Count > 0 || result.Evidence.BestCoverage < minCoverage)
                declined++;
            var ranking = result.Passages.Select(p => p.ArticleId).Distinct().ToList();
            var rank = ranking.IndexOf(item.Gold!) + 1;
            if (rank == 1) r1++;
            if (rank is > 0 and <= 5) r5++;
            if (rank is > 0 and <= 10)
            {
                r10++;
                mrr += 1.0 / rank;
            }
        }
        double n = Math.Max(1, questions.Count);
        times.Sort();
        return new RetrievalScores(questions.Count, r1 / n, r5 / n, r10 / n, mrr / n, declined / n, times.Count == 0 ? 0 : times.Average(), Percentile(times, 0.5), Percentile(times, 0.95));
    }

    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
