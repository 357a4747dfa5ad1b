namespace ChatBot.Core.Indexing;

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

    /// <summary>
    /// Weighted sum of scores, each list scaled by its best score so that both lie in [0, 1]. It keeps the margins
    /// inside a list, which rank fusion discards; a hit missing from a list scores 0 there.
    /// </summary>
    public static List<(long Id, double Score)> Weighted(
        IReadOnlyList<(long Id, double Score)> keywordHits, IReadOnlyList<(long Id, double Score)> vectorHits, double keywordWeight, double vectorWeight)
    {
        var scores = new Dictionary<long, double>();
        Accumulate(scores, keywordHits, keywordWeight);
        Accumulate(scores, vectorHits, vectorWeight);
        return scores.Select(p => (p.Key, p.Value)).OrderByDescending(p => p.Value).ThenBy(p => p.Key).ToList();
    }

    private static void Accumulate(Dictionary<long, double> scores, IReadOnlyList<(long Id, double Score)> hits, double weight)
    {
        if (hits.Count == 0)
            return;
        var max = hits.Max(h => h.Score);
        if (max <= 0)
            return;
        foreach (var (id, score) in hits)
            scores[id] = scores.GetValueOrDefault(id) + weight * Math.Max(0, score) / max;
    }
}
