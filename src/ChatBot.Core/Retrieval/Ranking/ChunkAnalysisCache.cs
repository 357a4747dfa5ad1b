using System.Collections.Concurrent;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;
using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Core.Retrieval.Ranking;

/// <summary>
/// A chunk's content words in order (as light-stem and prefix term ids of the index) and its sentences as ranges of
/// them, with the kinds of answer each sentence holds.
/// </summary>
public sealed record ChunkAnalysis(int[] Light, int[] Prefix, (int Start, int End)[] Sentences, EntityKinds[] Kinds);

/// <summary>
/// Chunks read for the positional features (sentences, proximity), with the index's vocabulary. Chunks recur across
/// questions, so they are kept, up to a bound: a larger cache lives in the oldest generation and lengthens its collections.
/// </summary>
public sealed class ChunkAnalysisCache(IIndexStore store)
{
    private const int Limit = 8_192;

    // By row id (a changed chunk is a new row); the text's length and ends guard against a row id used again.
    private readonly ConcurrentDictionary<long, (int Length, char First, char Last, ChunkAnalysis Analysis)> _cache = new();

    public ChunkAnalysis Get(long id, string text)
    {
        if (_cache.TryGetValue(id, out var known) && known.Length == text.Length && (text.Length == 0 || known.First == text[0] && known.Last == text[^1]))
            return known.Analysis;
        if (_cache.Count >= Limit)
            _cache.Clear();
        var analysis = Analyse(store.Lexical, text);
        _cache[id] = (text.Length, text.Length == 0 ? '\0' : text[0], text.Length == 0 ? '\0' : text[^1], analysis);
        return analysis;
    }

    public static ChunkAnalysis Analyse(LexicalIndex index, string text)
    {
        var tokens = index.Read(text);
        var light = new int[tokens.Count];
        var prefix = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
            (light[i], prefix[i]) = (tokens[i].Light, tokens[i].Prefix);
        var sentences = new List<(int, int)>();
        var kinds = new List<EntityKinds>();
        var t = 0;
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var start = t;
            var sentenceKinds = EntityKinds.None;
            while (t < tokens.Count && tokens[t].Start < sentence.End)
            {
                var flags = tokens[t].Flags;
                if ((flags & TokenFlags.Time) != 0)
                    sentenceKinds |= EntityKinds.Time;
                if ((flags & TokenFlags.Digits) != 0)
                    sentenceKinds |= EntityKinds.Number;
                if ((flags & TokenFlags.Capital) != 0 && t > start)
                    sentenceKinds |= EntityKinds.Name;
                t++;
            }
            if (t > start)
            {
                sentences.Add((start, t));
                kinds.Add(sentenceKinds);
            }
        }
        return new ChunkAnalysis(light, prefix, [.. sentences], [.. kinds]);
    }

    /// <summary>Which query concept each word of a chunk stands for.</summary>
    public ConceptMatcher Matcher(LexicalQuery query)
    {
        var (light, prefix) = store.Lexical.ConceptIds(query);
        return new ConceptMatcher(light, prefix);
    }
}

[Flags]
public enum EntityKinds
{
    None = 0,
    Time = 1,
    Number = 2,
    Name = 4,
}

public sealed class ConceptMatcher(Dictionary<int, int> light, Dictionary<int, int> prefix)
{
    /// <summary>For each content word of the chunk, the concept it matches (light stem first, then prefix), or -1.</summary>
    public int[] Positions(ChunkAnalysis analysis)
    {
        var positions = new int[analysis.Light.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = light.TryGetValue(analysis.Light[i], out var c) ? c
                : prefix.TryGetValue(analysis.Prefix[i], out c) ? c
                : -1;
        }
        return positions;
    }
}
