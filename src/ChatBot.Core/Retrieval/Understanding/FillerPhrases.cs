using System.Collections.Frozen;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// Greetings, thanks and politeness (<c>Resources/filler-fr.txt</c>, <c>filler-en.txt</c>): removed from the edges of
/// each clause of a message, so "Bonjour, pourriez-vous me dire quand … ? Merci d'avance" is read as "quand … ?". Only
/// edges: "merci" inside a sentence may be what it is about. A phrase marked <c>^</c> counts only at a clause's start.
/// </summary>
public sealed class FillerPhrases
{
    private readonly FrozenSet<string> _anywhere;
    private readonly FrozenSet<string> _startOnly;
    private readonly int _longest;

    private FillerPhrases(IEnumerable<string> lines)
    {
        var anywhere = new HashSet<string>(StringComparer.Ordinal);
        var startOnly = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var start = line.StartsWith('^');
            var words = Words(start ? line[1..] : line);
            if (words.Count == 0)
                continue;
            (start ? startOnly : anywhere).Add(string.Join(' ', words));
            _longest = Math.Max(_longest, words.Count);
        }
        _anywhere = anywhere.ToFrozenSet(StringComparer.Ordinal);
        _startOnly = startOnly.ToFrozenSet(StringComparer.Ordinal);
    }

    public static FillerPhrases Default { get; } = new(EmbeddedData.Lines("filler-fr.txt").Concat(EmbeddedData.Lines("filler-en.txt")));

    /// <summary>The words (as folded tokens with their positions) left once filler is cut from each clause's edges.</summary>
    public List<(int Start, int End)> ContentSpans(string text)
    {
        var spans = new List<(int, int)>();
        foreach (var (clauseStart, clauseEnd) in Clauses(text))
        {
            var tokens = Tokens(text, clauseStart, clauseEnd);
            var from = 0;
            var to = tokens.Count;
            var changed = true;
            while (changed && from < to)
            {
                changed = false;
                for (var n = Math.Min(_longest, to - from); n >= 1; n--)
                {
                    var phrase = string.Join(' ', tokens.Skip(from).Take(n).Select(t => t.Folded));
                    if (_anywhere.Contains(phrase) || _startOnly.Contains(phrase))
                    {
                        from += n;
                        changed = true;
                        break;
                    }
                }
                for (var n = Math.Min(_longest, to - from); n >= 1 && !changed; n--)
                {
                    var phrase = string.Join(' ', tokens.Skip(to - n).Take(n).Select(t => t.Folded));
                    if (_anywhere.Contains(phrase))
                    {
                        to -= n;
                        changed = true;
                    }
                }
            }
            if (from < to)
                spans.Add((tokens[from].Start, tokens[to - 1].End));
        }
        return spans;
    }

    /// <summary>The message with filler cut from every clause; empty when it held nothing else ("Bonjour !").</summary>
    public string Strip(string text)
    {
        var spans = ContentSpans(text);
        if (spans.Count == 0)
            return "";
        var parts = new List<string>();
        foreach (var (start, end) in spans)
        {
            // Keep the punctuation that closed the clause ("… Iran ?") so the question still reads as one.
            var stop = end;
            var probe = end;
            while (probe < text.Length && text[probe] == ' ')
                probe++;
            if (probe < text.Length && text[probe] is '?' or '!')
                stop = probe + 1;
            parts.Add(text[start..stop].Trim());
        }
        return string.Join(" ", parts);
    }

    private static IEnumerable<(int Start, int End)> Clauses(string text)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] is ',' or '!' or '?' or '.' or ';' or ':' or '\n' or '(' or ')')
            {
                if (i > start)
                    yield return (start, i);
                start = i + 1;
            }
        }
    }

    private readonly record struct WordToken(string Folded, int Start, int End);

    private static List<WordToken> Tokens(string text, int from, int to)
    {
        var tokens = new List<WordToken>();
        var i = from;
        while (i < to)
        {
            if (!WordFolder.IsWordChar(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < to && WordFolder.IsWordChar(text[i]))
                i++;
            tokens.Add(new WordToken(WordFolder.Fold(text.AsSpan(start, i - start)), start, i));
        }
        return tokens;
    }

    private static List<string> Words(string phrase)
    {
        var folded = TextFolding.Fold(phrase);
        return Tokens(folded, 0, folded.Length).Select(t => t.Folded).ToList();
    }
}
