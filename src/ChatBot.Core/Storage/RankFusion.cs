namespace ChatBot.Core.Storage;

/// <summary>
/// Reciprocal-rank fusion: each list contributes weight / (k + rank). It needs no score calibration between BM25
/// and cosine similarity, which live on unrelated scales.
/// </summary>
public static class RankFusion
{
    public static List<(long Id, double Score)> Reciprocal(
        IReadOnlyList<long> keywordRanking, IReadOnlyList<long> vectorRanking, double k, double keywordWeight, double vectorWeight)
    {
        var scores = new Dictionary<long, double>();
        Accumulate(scores, keywordRanking, k, keywordWeight);
        Accumulate(scores, vectorRanking, k, vectorWeight);
        return scores.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key).ToList();
    }

    private static void Accumulate(Dictionary<long, double> scores, IReadOnlyList<long> ranking, double k, double weight)
    {
        for (var rank = 0; rank < ranking.Count; rank++)
            scores[ranking[rank]] = scores.GetValueOrDefault(ranking[rank]) + weight / (k + rank + 1);
    }
}
