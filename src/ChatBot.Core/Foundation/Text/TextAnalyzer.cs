using System.Collections.Frozen;
using Lucene.Net.Analysis.Fr;

namespace ChatBot.Core.Foundation.Text;

/// <summary>
/// A word as it appears in the text, with its folded form and its index term (null for a stopword).
/// <see cref="Function"/>: a function word (indexed or not), which never counts as a topic.
/// </summary>
public readonly record struct Token(string Surface, string Folded, string? Term, int Start, bool Function = false)
{
    /// <summary>A word that says what the text is about: indexed and not a function word.</summary>
    public bool IsContent => Term is not null && !Function;
}

/// <summary>
/// Turns text into index terms: case and accent folding, elisions, short function words and question words dropped
/// (French and English), French light stemming. Longer French function words ("pendant", "contre") are indexed for the
/// reranker, which weighs them by rarity, but are marked as function words: never searched first, never a topic.
/// Indexing and querying must use the same instance so that terms line up.
/// </summary>
public sealed class TextAnalyzer
{
    private readonly FrozenSet<string> _stopwords;
    private readonly FrozenSet<string> _functionWords;
    private readonly FrenchLightStemmer _stemmer = new();

    public TextAnalyzer()
    {
        _stopwords = EmbeddedData.Words("stopwords-fr.txt")
            .Concat(EmbeddedData.Words("stopwords-en.txt"))
            .Select(TextFolding.Fold)
            .ToFrozenSet(StringComparer.Ordinal);
        _functionWords = EmbeddedData.Words("function-words-fr.txt")
            .Select(TextFolding.Fold)
            .Concat(_stopwords)
            .ToFrozenSet(StringComparer.Ordinal);
        // Function words are indexed apart (no postings): a change to either list changes the index.
        var words = string.Join(' ', _stopwords.Order(StringComparer.Ordinal)) + " | " + string.Join(' ', _functionWords.Order(StringComparer.Ordinal));
        Version = "fr-light-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(words)))[..8];
    }

    /// <summary>
    /// Identifies the analysis (stemmer and word lists). Index terms made by another version do not match this one's
    /// queries, so the index records it and is rebuilt when it changes.
    /// </summary>
    public string Version { get; }

    public static TextAnalyzer Shared { get; } = new();

    /// <summary>Not indexed: a short function word, a question word, or a word pointing at the corpus itself.</summary>
    public bool IsStopword(string folded) => _stopwords.Contains(folded);

    /// <summary>Carries no topic (every stopword, and the longer function words that are indexed all the same).</summary>
    public bool IsFunctionWord(string folded) => _functionWords.Contains(folded);

    /// <summary>Every function word, folded.</summary>
    public IReadOnlySet<string> FunctionWords => _functionWords;

    /// <summary>Index terms of <paramref name="text"/>, in order, stopwords removed.</summary>
    public List<string> Terms(string text)
    {
        var terms = new List<string>();
        foreach (var token in Tokenize(text))
        {
            if (token.Term is not null)
                terms.Add(token.Term);
        }
        return terms;
    }

    /// <summary>Every word of <paramref name="text"/> (letters and digits), stopwords included with a null term.</summary>
    public IEnumerable<Token> Tokenize(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && IsWordChar(text[i]))
                i++;
            var surface = text[start..i];
            var folded = WordFolder.Fold(surface.AsSpan());
            yield return new Token(surface, folded, TermOf(folded), start, _functionWords.Contains(folded));
        }
    }

    /// <summary>The index term for one folded word, or null when it carries no topic.</summary>
    public string? TermOf(string folded)
    {
        if (folded.Length == 0 || _stopwords.Contains(folded))
            return null;
        if (folded.Length > 40)
            folded = folded[..40];
        if (!char.IsLetter(folded[0]))
            return folded; // numbers and codes are kept whole: "2015", "1000", "34"
        return Stem(folded);
    }

    private string Stem(string folded)
    {
        var buffer = folded.ToCharArray();
        // FrenchLightStemmer keeps no state between calls, so one instance serves every thread.
        var length = _stemmer.Stem(buffer, buffer.Length);
        return length <= 1 ? folded : new string(buffer, 0, length);
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark;
}
