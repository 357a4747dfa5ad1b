using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Core.Retrieval.Ranking;

/// <summary>A candidate chunk with what the first stage found for it.</summary>
public sealed record RankingCandidate(long Id, string Title, string Text, int Ordinal, LexicalHit Lexical, double VectorScore);

/// <summary>
/// The reranker's features: general signals of how well a chunk answers a question (scores, coverages, fields,
/// proximity), never word identities, so weights learned on one corpus carry over to another. Each is computed for
/// every candidate of a question; scores are divided by the best candidate's, so questions of any length compare.
/// </summary>
public static class RankingFeatures
{
    public static readonly IReadOnlyList<string> Names =
    [
        "fused", "light", "prefix",
        "light.body", "light.title", "light.document",
        "prefix.body", "prefix.document", "prefix.title",
        "query_likelihood", "char4",
        "coverage", "coverage.title", "coverage.any_analyser", "coverage.sentence", "concepts.sentence",
        "proximity", "ordered_pairs", "names",
        "log_length",
        "reciprocal_rank", "vector", "best_in_document", "concepts.count", "coverage.chunk_any", "coverage.beyond_title", "sentence.beyond_title", "bm25.beyond_title", "ql.beyond_title", "type.chunk", "type.sentence", "char4.title", "char4.beyond_title", "siblings.bm25", "siblings.char4", "words.bm25",
    ];

    public static int Count => Names.Count;

    private static readonly int[] SearchedAnalysers = Enumerable.Range(0, WordAnalysers.Count).Where(WordAnalysers.IsSearched).ToArray();

    /// <summary>Query-likelihood smoothing (Dirichlet prior), in words.</summary>
    private const double Mu = 400;

    public static float[][] Compute(
        LexicalQuery query, IReadOnlyList<bool> names, IReadOnlyList<RankingCandidate> candidates, QueryDescription description, ChunkAnalysisCache analyses, EntityKinds expected = EntityKinds.None)
    {
        var features = new float[candidates.Count][];
        if (candidates.Count == 0)
            return features;
        var concepts = description.Concepts;
        var idf = concepts.Select(c => c.Idf * 1.0).ToArray();
        var totalIdf = Math.Max(1e-9, idf.Sum());
        var matcher = analyses.Matcher(query);
        var bestFused = Math.Max(1e-9, candidates.Max(c => c.Lexical.Score));
        var bestVector = Math.Max(1e-9, candidates.Max(c => c.VectorScore));
        var best = new float[WordAnalysers.Count * 3];
        foreach (var c in candidates)
        {
            for (var a = 0; a < WordAnalysers.Count; a++)
            {
                best[a * 3] = Math.Max(best[a * 3], c.Lexical.Body[a]);
                best[a * 3 + 1] = Math.Max(best[a * 3 + 1], c.Lexical.Title[a]);
                best[a * 3 + 2] = Math.Max(best[a * 3 + 2], c.Lexical.Document[a]);
            }
        }
        var bestInDocument = candidates.GroupBy(c => c.Title).ToDictionary(g => g.Key, g => Math.Max(1e-9, g.Max(c => c.Lexical.Score)));
        var ql = new double[candidates.Count];
        var gram = new double[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var stats = description.Chunks[i];
            if (stats is null)
                continue;
            for (var c = 0; c < concepts.Count; c++)
                ql[i] += Math.Log((stats.Frequency(c) + Mu * concepts[c].CollectionProbability) / (stats.Length + Mu));
            gram[i] = stats.CharGramScore;
        }
        var bestQl = ql.Max();
        var beyond = new double[candidates.Count];
        var qlBeyond = new double[candidates.Count];
        for (var i = 0; i < candidates.Count; i++)
        {
            var stats = description.Chunks[i];
            if (stats is null)
                continue;
            for (var c = 0; c < concepts.Count; c++)
            {
                if (stats.InTitle[c])
                    continue;
                double tf = stats.Frequency(c);
                beyond[i] += concepts[c].Idf * tf * 1.6 / (tf + 0.6 * (0.5 + 0.5 * stats.Length / description.AverageLength));
                qlBeyond[i] += Math.Log((tf + Mu * concepts[c].CollectionProbability) / (stats.Length + Mu));
            }
        }
        var bestBeyond = Math.Max(1e-9, beyond.Max());
        var bestQlBeyond = qlBeyond.Max();
        var bestGram = Math.Max(1e-9, gram.Max());
        var bestWords = Math.Max(1e-9, description.Chunks.Max(c => c?.WordScore ?? 0));
        var bestTitleGram = Math.Max(1e-9, description.Chunks.Max(c => c?.TitleCharGramScore ?? 0));
        var gramBeyond = description.Chunks.Select(c => c is null ? 0 : Enumerable.Range(0, concepts.Count).Where(x => !c.InTitle[x]).Sum(x => c.CharGramByConcept[x])).ToArray();
        var bestGramBeyond = Math.Max(1e-9, gramBeyond.Max());
        var siblingBm25 = new Dictionary<string, double>();
        var siblingGram = new Dictionary<string, double>();
        for (var i = 0; i < candidates.Count; i++)
        {
            siblingBm25[candidates[i].Title] = Math.Max(siblingBm25.GetValueOrDefault(candidates[i].Title), beyond[i]);
            siblingGram[candidates[i].Title] = Math.Max(siblingGram.GetValueOrDefault(candidates[i].Title), gramBeyond[i]);
        }

        for (var i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var lexical = candidate.Lexical;
            var stats = description.Chunks[i];
            var f = new float[Count];
            var k = 0;
            f[k++] = (float)(lexical.Score / bestFused);
            foreach (var a in SearchedAnalysers)
                f[k++] = lexical.Best[a] > 0 ? lexical.Fielded[a] / lexical.Best[a] : 0;
            f[k++] = Scaled(lexical.Body[0], best[0]);
            f[k++] = Scaled(lexical.Title[0], best[1]);
            f[k++] = Scaled(lexical.Document[0], best[2]);
            f[k++] = Scaled(lexical.Body[2], best[6]);
            f[k++] = Scaled(lexical.Document[2], best[8]);
            f[k++] = Scaled(lexical.Title[2], best[7]);
            f[k++] = (float)(ql[i] - bestQl) / Math.Max(1, concepts.Count);
            f[k++] = (float)(gram[i] / bestGram);

            double covered = 0, coveredTitle = 0, coveredAny = 0;
            if (stats is not null)
            {
                for (var c = 0; c < concepts.Count; c++)
                {
                    if (stats.Frequency(c) > 0) covered += idf[c];
                    if (stats.InTitle[c]) coveredTitle += idf[c];
                    if (stats.Contains(c) || stats.InTitle[c]) coveredAny += idf[c];
                }
            }
            f[k++] = (float)(covered / totalIdf);
            f[k++] = (float)(coveredTitle / totalIdf);
            f[k++] = (float)(coveredAny / totalIdf);

            var analysis = analyses.Get(candidate.Id, candidate.Text);
            var positions = matcher.Positions(analysis);
            var sentences = SentenceMatches(analysis, positions, idf);
            f[k++] = (float)(BestSentenceCoverage(sentences) / totalIdf);
            f[k++] = (float)BestSentenceConcepts(sentences) / Math.Max(1, concepts.Count);
            f[k++] = (float)Proximity(positions);
            f[k++] = (float)OrderedPairs(positions, concepts.Count);
            var nameCount = names.Count(n => n);
            f[k++] = nameCount == 0 ? 1 : (float)Enumerable.Range(0, concepts.Count).Count(c => names[c] && (stats?.Contains(c) == true || stats?.InTitle[c] == true)) / nameCount;

            f[k++] = (float)Math.Log(1 + (stats?.Length ?? 0));
            f[k++] = 1f / (1 + i);
            f[k++] = (float)(candidate.VectorScore / bestVector);
            f[k++] = (float)(lexical.Score / bestInDocument[candidate.Title]);
            f[k++] = stats is null ? 0 : (float)Enumerable.Range(0, concepts.Count).Count(c => stats.Contains(c)) / Math.Max(1, concepts.Count);
            f[k++] = stats is null ? 0 : (float)(Enumerable.Range(0, concepts.Count).Where(c => stats.Contains(c)).Sum(c => idf[c]) / totalIdf);
            var beyondTitle = stats is null ? [] : Enumerable.Range(0, concepts.Count).Where(c => !stats.InTitle[c]).ToList();
            var beyondIdf = beyondTitle.Sum(c => idf[c]);
            f[k++] = beyondIdf <= 0 ? 0 : (float)(beyondTitle.Where(c => stats!.Contains(c)).Sum(c => idf[c]) / beyondIdf);
            f[k++] = beyondIdf <= 0 ? 0 : (float)(BestSentenceCoverage(SentenceMatches(analysis, positions, idf.Select((x, c) => beyondTitle.Contains(c) ? x : 0).ToArray())) / beyondIdf);
            f[k++] = (float)(beyond[i] / bestBeyond);
            f[k++] = (float)(qlBeyond[i] - bestQlBeyond) / Math.Max(1, concepts.Count);
            f[k++] = expected != EntityKinds.None && analysis.Kinds.Any(x => (x & expected) != 0) ? 1 : 0;
            f[k++] = expected != EntityKinds.None && BestSentenceKinds(analysis, sentences).HasFlag(expected) ? 1 : 0;
            f[k++] = (float)((stats?.TitleCharGramScore ?? 0) / bestTitleGram);
            f[k++] = (float)(gramBeyond[i] / bestGramBeyond);
            f[k++] = (float)(beyond[i] / Math.Max(1e-9, siblingBm25[candidate.Title]));
            f[k++] = (float)(gramBeyond[i] / Math.Max(1e-9, siblingGram[candidate.Title]));
            f[k++] = (float)((stats?.WordScore ?? 0) / bestWords);
            features[i] = f;
        }
        return features;
    }

    private static float Scaled(float value, float best) => best > 0 ? value / best : 0;

    /// <summary>For each sentence of the chunk, the IDF weight and the number of the distinct concepts it holds.</summary>
    private static (double Weight, int Count)[] SentenceMatches(ChunkAnalysis analysis, int[] positions, double[] idf)
    {
        var matches = new (double Weight, int Count)[analysis.Sentences.Length];
        var seen = new HashSet<int>();
        for (var s = 0; s < matches.Length; s++)
        {
            var (start, end) = analysis.Sentences[s];
            seen.Clear();
            for (var p = start; p < end; p++)
            {
                if (positions[p] >= 0)
                    seen.Add(positions[p]);
            }
            matches[s] = (seen.Sum(c => idf[c]), seen.Count);
        }
        return matches;
    }

    /// <summary>The IDF weight of the concepts found in the chunk's best single sentence.</summary>
    private static double BestSentenceCoverage((double Weight, int Count)[] matches) => matches.Length == 0 ? 0 : matches.Max(m => m.Weight);

    private static int BestSentenceConcepts((double Weight, int Count)[] matches) => matches.Length == 0 ? 0 : matches.Max(m => m.Count);

    /// <summary>The entity kinds of the sentence with the most concept weight (the first such).</summary>
    private static EntityKinds BestSentenceKinds(ChunkAnalysis analysis, (double Weight, int Count)[] matches)
    {
        var best = -1;
        for (var s = 0; s < matches.Length; s++)
        {
            if (best < 0 || matches[s].Weight > matches[best].Weight)
                best = s;
        }
        return best < 0 ? EntityKinds.None : analysis.Kinds[best];
    }

    /// <summary>
    /// How tightly the matched concepts sit together: their count over the shortest window of words holding one of
    /// each (1 when they are adjacent, towards 0 when spread over the chunk).
    /// </summary>
    private static double Proximity(int[] positions)
    {
        var distinct = positions.Where(p => p >= 0).Distinct().Count();
        if (distinct < 2)
            return 0;
        var counts = new Dictionary<int, int>();
        var best = int.MaxValue;
        var left = 0;
        for (var right = 0; right < positions.Length; right++)
        {
            if (positions[right] < 0)
                continue;
            counts[positions[right]] = counts.GetValueOrDefault(positions[right]) + 1;
            while (counts.Count == distinct)
            {
                best = Math.Min(best, right - left + 1);
                if (positions[left] >= 0 && --counts[positions[left]] == 0)
                    counts.Remove(positions[left]);
                left++;
            }
        }
        return (double)distinct / best;
    }

    /// <summary>Share of the question's consecutive concept pairs found within three words of each other in the same order.</summary>
    private static double OrderedPairs(int[] positions, int conceptCount)
    {
        if (conceptCount < 2)
            return 0;
        var found = new HashSet<int>();
        for (var i = 0; i < positions.Length; i++)
        {
            if (positions[i] < 0)
                continue;
            for (var j = i + 1; j < Math.Min(positions.Length, i + 4); j++)
            {
                if (positions[j] == positions[i] + 1)
                    found.Add(positions[i]);
            }
        }
        return (double)found.Count / (conceptCount - 1);
    }
}
