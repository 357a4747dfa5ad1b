using System.Collections.Concurrent;
using ChatBot.Core.Search;
using ChatBot.Core.Text;

namespace ChatBot.Core.Retrieval.Ranking;

/// <summary>A chunk's content words in order (each as its light-stem and prefix terms) and its sentences as word ranges.</summary>
public sealed record ChunkAnalysis(string[] Light, string[] Prefix, (int Start, int End)[] Sentences)
{
    /// <summary>Per sentence, the kinds of answer it holds (<see cref="EntityKinds"/> flags).</summary>
    public EntityKinds[] Kinds { get; init; } = [];
}

/// <summary>
/// Chunks analysed for the positional features (sentences, proximity). Chunks recur across questions and analysis is
/// the cost, so they are kept, up to a bound: a larger cache lives in the oldest generation and lengthens its collections.
/// </summary>
public sealed class ChunkAnalysisCache(WordAnalysers analysers)
{
    private const int Limit = 8_192;

    private readonly ConcurrentDictionary<(long Id, string Text), ChunkAnalysis> _cache = new();

    public ChunkAnalysis Get(long id, string text)
    {
        if (_cache.TryGetValue((id, text), out var known))
            return known;
        if (_cache.Count >= Limit)
            _cache.Clear();
        var analysis = Analyse(text);
        _cache[(id, text)] = analysis;
        return analysis;
    }

    public ChunkAnalysis Analyse(string text)
    {
        var light = new List<string>();
        var prefix = new List<string>();
        var sentences = new List<(int, int)>();
        var kinds = new List<EntityKinds>();
        foreach (var sentence in SentenceSplitter.Split(text))
        {
            var start = light.Count;
            foreach (var token in analysers.Analyzer.Tokenize(sentence.Of(text)))
            {
                if (token.Term is null)
                    continue;
                var terms = analysers.Terms(token.Folded)!;
                light.Add(terms[(int)TermAnalyser.Light]);
                prefix.Add(terms[(int)TermAnalyser.Prefix]);
            }
            if (light.Count > start)
            {
                sentences.Add((start, light.Count));
                kinds.Add(EntityKindsOf(sentence.Of(text)));
            }
        }
        return new ChunkAnalysis([.. light], [.. prefix], [.. sentences]) { Kinds = [.. kinds] };
    }

    private static EntityKinds EntityKindsOf(string sentence)
    {
        var kinds = EntityKinds.None;
        var folded = TextFolding.Fold(sentence);
        if (System.Text.RegularExpressions.Regex.IsMatch(folded, @"\b(1[0-9]\d\d|20\d\d|janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|siecle)\b"))
            kinds |= EntityKinds.Time;
        if (System.Text.RegularExpressions.Regex.IsMatch(sentence, @"\d"))
            kinds |= EntityKinds.Number;
        if (System.Text.RegularExpressions.Regex.IsMatch(sentence, @"(?<!^)(?<![.!?]\s)\b\p{Lu}\p{Ll}+"))
            kinds |= EntityKinds.Name;
        return kinds;
    }

    /// <summary>Which query concept each word of a chunk stands for.</summary>
    public ConceptMatcher Matcher(LexicalQuery query)
    {
        var light = new Dictionary<string, int>(StringComparer.Ordinal);
        var prefix = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var c = 0; c < query.Concepts.Count; c++)
        {
            foreach (var alternative in query.Concepts[c].Alternatives)
            {
                if (analysers.Terms(alternative.Folded) is not { } terms)
                    continue;
                light.TryAdd(terms[(int)TermAnalyser.Light], c);
                prefix.TryAdd(terms[(int)TermAnalyser.Prefix], c);
            }
        }
        return new ConceptMatcher(light, prefix);
    }
}

public sealed class ConceptMatcher(Dictionary<string, int> light, Dictionary<string, int> prefix)
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

[Flags]
public enum EntityKinds
{
    None = 0,
    Time = 1,
    Number = 2,
    Name = 4,
}
