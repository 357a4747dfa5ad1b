using Lucene.Net.Tartarus.Snowball.Ext;

namespace ChatBot.Core.Foundation.Text;

/// <summary>
/// The ways a folded word becomes an index term. Each conflates differently (the light stemmer keeps "militaire" and
/// "militarisation" apart, Snowball and the 5-letter prefix join more), so their scores, summed, find what one misses.
/// </summary>
public enum TermAnalyser
{
    /// <summary>Lucene's French light stemmer (plurals, feminines, a few suffixes).</summary>
    Light = 0,

    /// <summary>Snowball's French stemmer: more aggressive suffix removal.</summary>
    Snowball = 1,

    /// <summary>The first five letters: a crude lemma that also absorbs inflections the stemmers miss.</summary>
    Prefix = 2,
}

/// <summary>Maps folded words to the terms of each <see cref="TermAnalyser"/>; function words have none.</summary>
public sealed class WordAnalysers(TextAnalyzer analyzer)
{
    public const int Count = 3;
    public const int PrefixLength = 5;

    /// <summary>
    /// Whether the analyser's terms get postings (searched), or only statistics (document frequencies, for the evidence
    /// test and the reranker). Snowball adds nothing to the light stemmer and the prefix in the first ranking (measured
    /// on PIAF dev: recall@5 0.905 with the two, 0.903 with all three) and would cost a third of the postings.
    /// </summary>
    public static bool IsSearched(int analyser) => analyser != (int)TermAnalyser.Snowball;

    private readonly Lock _snowballLock = new();
    private readonly FrenchStemmer _snowball = new();

    public static WordAnalysers Shared { get; } = new(TextAnalyzer.Shared);

    public TextAnalyzer Analyzer => analyzer;

    /// <summary>Identifies the analysis (word lists, stemmers, prefix and gram lengths): an index built by another is built again.</summary>
    public string Version => $"{analyzer.Version}+snowball-fr+prefix{PrefixLength}+grams4";

    public bool IsStopword(string folded) => analyzer.IsStopword(folded);

    /// <summary>Words analysed so far: questions and passages repeat the corpus's words, and stemming is the cost.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string[]?> _known = new(StringComparer.Ordinal);
    private const int KnownLimit = 200_000;

    /// <summary>The word's term under each analyser, or null for a function word.</summary>
    public string[]? Terms(string folded)
    {
        if (_known.TryGetValue(folded, out var known))
            return known;
        var terms = Analyse(folded);
        if (_known.Count >= KnownLimit)
            _known.Clear();
        _known[folded] = terms;
        return terms;
    }

    private string[]? Analyse(string folded)
    {
        var light = analyzer.TermOf(folded);
        if (light is null)
            return null;
        if (!char.IsLetter(folded[0]))
            return [light, light, light]; // numbers and codes are kept whole by every analyser
        var word = folded.Length > 40 ? folded[..40] : folded;
        return [light, Snowball(word), word.Length <= PrefixLength ? word : word[..PrefixLength]];
    }

    /// <summary>The Snowball stem of a folded word, not remembered among <see cref="Terms"/> (word lists stem thousands once).</summary>
    public string SnowballStem(string folded) => Snowball(folded.Length > 40 ? folded[..40] : folded);

    private string Snowball(string word)
    {
        // Snowball's stemmers keep their state in the instance: one word at a time.
        lock (_snowballLock)
        {
            _snowball.SetCurrent(word);
            _snowball.Stem();
            var stem = _snowball.Current;
            return stem.Length <= 1 ? word : stem;
        }
    }
}
