using ChatBot.Core.Storage;
using ChatBot.Core.Text;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// Second stage over the hybrid candidates. Adds two signals BM25 lacks: how much of the question's weight (rarer
/// words weigh more) the chunk holds at all, and how much its best single sentence holds: the answer to a factual
/// question usually sits in one sentence that gathers the question's rare words.
/// </summary>
public sealed class Reranker(TextAnalyzer analyzer, IOptions<RetrievalOptions> options)
{
    /// <summary>Enough for the chunks questions come back to; a larger cache lives in the oldest generation and makes its collections long.</summary>
    private const int CacheLimit = 8_192;

    /// <summary>Terms of each chunk and of each of its sentences; chunks recur across questions, analysis is the cost.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Key, string Text), ChunkTerms> _cache = new();

    private sealed record ChunkTerms(HashSet<string> All, List<HashSet<string>> Sentences);

    public List<(ChunkRecord Chunk, double Score)> Rerank(IReadOnlyList<(ChunkRecord Chunk, double Score)> candidates, Evidence weights)
    {
        if (candidates.Count == 0 || weights.TotalWeight <= 0)
            return candidates.ToList();
        var o = options.Value;
        var maxFused = Math.Max(candidates.Max(c => c.Score), 1e-9);
        return candidates
            .Select(c =>
            {
                var terms = Analyse(c.Chunk);
                var bestSentence = terms.Sentences.Count == 0 ? 0 : terms.Sentences.Max(weights.CoverageOf);
                return (c.Chunk, Score: c.Score / maxFused
                    + o.RerankChunkCoverageWeight * weights.CoverageOf(terms.All)
                    + o.RerankSentenceCoverageWeight * bestSentence);
            })
            .OrderByDescending(c => c.Score)
            .ToList();
    }

    private ChunkTerms Analyse(ChunkRecord chunk)
    {
        if (_cache.TryGetValue((chunk.Key, chunk.Text), out var known))
            return known;
        if (_cache.Count >= CacheLimit)
            _cache.Clear();
        var text = chunk.Text;
        var terms = new ChunkTerms(
            Terms(chunk.Title + "\n" + text),
            SentenceSplitter.Split(text).Select(s => Terms(s.Of(text))).ToList());
        _cache[(chunk.Key, chunk.Text)] = terms;
        return terms;
    }

    private HashSet<string> Terms(string text) => analyzer.Terms(text).ToHashSet(StringComparer.Ordinal);
}
