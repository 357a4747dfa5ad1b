using System.Collections.Frozen;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>A content word of a text as the index reads it: its term ids and what kind of word it is.</summary>
public readonly record struct IndexedToken(int Light, int Prefix, int Start, TokenFlags Flags);

[Flags]
public enum TokenFlags : byte
{
    None = 0,
    Digits = 1,

    /// <summary>A year (1000–2099), a month or a day of the week.</summary>
    Time = 2,

    /// <summary>Written with a capital.</summary>
    Capital = 4,
}

public sealed partial class LexicalIndex
{
    private static readonly FrozenSet<string> TimeWords = FrozenSet.Create(StringComparer.Ordinal,
        "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "siecle");

    /// <summary>
    /// The content words of <paramref name="text"/> with their light-stem and prefix term ids (-1 for a word the index
    /// has never seen), read with the index's own vocabulary: no analysis for the words of indexed chunks, which is what
    /// the reranker reads a hundred of per question.
    /// </summary>
    public List<IndexedToken> Read(string text)
    {
        var tokens = new List<IndexedToken>(text.Length / 7);
        Span<char> buffer = stackalloc char[128];
        _lock.EnterReadLock();
        try
        {
            var span = text.AsSpan();
            var i = 0;
            while (WordFolder.NextWord(span, ref i, out var start, out _))
            {
                var length = WordFolder.Fold(span[start..i], buffer);
                if (length <= 0)
                    continue;
                var folded = buffer[..length];
                int light, prefix;
                if (_wordIds.TryGetValue(folded, out var id))
                {
                    if (!_words.IsIndexed(id))
                        continue;
                    var terms = _words.Terms(id);
                    (light, prefix) = (terms[(int)TermAnalyser.Light], terms[(int)TermAnalyser.Prefix]);
                }
                else
                {
                    var word = folded.ToString();
                    if (_analysers.Terms(word) is not { } analysed)
                        continue;
                    light = _tables[(int)TermAnalyser.Light].Ids.GetValueOrDefault(analysed[(int)TermAnalyser.Light], -1);
                    prefix = _tables[(int)TermAnalyser.Prefix].Ids.GetValueOrDefault(analysed[(int)TermAnalyser.Prefix], -1);
                }
                var flags = TokenFlags.None;
                if (char.IsDigit(span[start]))
                {
                    flags |= TokenFlags.Digits;
                    if (length == 4 && (folded[0] == '1' || folded[0] == '2' && folded[1] == '0') && folded.ContainsOnlyDigits())
                        flags |= TokenFlags.Time;
                }
                else if (TimeWords.GetAlternateLookup<ReadOnlySpan<char>>().Contains(folded))
                {
                    flags |= TokenFlags.Time;
                }
                if (char.IsUpper(span[start]))
                    flags |= TokenFlags.Capital;
                tokens.Add(new IndexedToken(light, prefix, start, flags));
            }
        }
        finally { _lock.ExitReadLock(); }
        return tokens;
    }

    /// <summary>For each concept of the query, its light-stem and prefix term ids (what <see cref="Read"/> gives words).</summary>
    public (Dictionary<int, int> Light, Dictionary<int, int> Prefix) ConceptIds(LexicalQuery query)
    {
        _lock.EnterReadLock();
        try
        {
            var light = new Dictionary<int, int>();
            var prefix = new Dictionary<int, int>();
            for (var c = 0; c < query.Concepts.Count; c++)
            {
                var (terms, _) = ConceptTerms(query.Concepts[c]);
                foreach (var term in terms[(int)TermAnalyser.Light].Keys)
                    light.TryAdd(term, c);
                foreach (var term in terms[(int)TermAnalyser.Prefix].Keys)
                    prefix.TryAdd(term, c);
            }
            return (light, prefix);
        }
        finally { _lock.ExitReadLock(); }
    }
}

internal static class SpanDigits
{
    public static bool ContainsOnlyDigits(this ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }
        return true;
    }

    public static bool ContainsOnlyDigits(this Span<char> span) => ((ReadOnlySpan<char>)span).ContainsOnlyDigits();
}
