using System.Collections.Frozen;

namespace ChatBot.Core.Foundation.Text;

/// <summary>A sentence as a span of the text it was cut from.</summary>
public readonly record struct SentenceSpan(int Start, int End)
{
    public int Length => End - Start;
    public string Of(string text) => text[Start..End];
}

/// <summary>
/// Splits French (and English) prose into sentences. A line break always ends a sentence; a full stop does not when
/// it follows a known abbreviation ("M.", "Dr."), an initial ("J. Kerry") or sits inside a number ("1.5").
/// </summary>
public static class SentenceSplitter
{
    private static readonly FrozenSet<string> Abbreviations =
        EmbeddedData.Words("abbreviations-fr.txt").Select(TextFolding.Fold).ToFrozenSet(StringComparer.Ordinal);

    private const string ClosingPunctuation = "\"'»”’)]";

    public static List<SentenceSpan> Split(string text) => Split(text, 0, text.Length);

    public static List<SentenceSpan> Split(string text, int from, int to)
    {
        var sentences = new List<SentenceSpan>();
        var start = from;
        var i = from;
        while (i < to)
        {
            var c = text[i];
            if (c == '\n')
            {
                Add(sentences, text, start, i);
                start = i + 1;
            }
            else if (c is '.' or '!' or '?' or '…' && EndsSentence(text, i, to, out var end))
            {
                Add(sentences, text, start, end);
                start = end;
                i = end;
                continue;
            }
            i++;
        }
        Add(sentences, text, start, to);
        return sentences;
    }

    private static bool EndsSentence(string text, int i, int to, out int end)
    {
        end = i + 1;
        while (end < to && (text[end] is '.' or '!' or '?' or '…'))
            end++;
        while (end < to && ClosingPunctuation.Contains(text[end]))
            end++;
        // French typography puts a (non-breaking) space before the closing guillemet: « … parler. »
        var afterSpace = end;
        while (afterSpace < to && (text[afterSpace] == ' ' || text[afterSpace] == '\u00A0' || text[afterSpace] == '\u202F'))
            afterSpace++;
        if (afterSpace < to && afterSpace > end && text[afterSpace] == '»')
            end = afterSpace + 1;
        if (end >= to)
            return true;
        if (!char.IsWhiteSpace(text[end]) && text[end] != '\u00A0')
            return false; // "1.5", "U.S.A", "t.co"
        var next = end;
        while (next < to && (text[next] == ' ' || text[next] == '\u00A0' || text[next] == '\t'))
            next++;
        if (next >= to || text[next] == '\n')
            return true;
        var following = text[next];
        if (char.IsLower(following))
            return false; // "etc. et", or a stop inside a sentence
        if (text[i] == '.' && IsAbbreviation(text, i))
            return false;
        return true;
    }

    private static bool IsAbbreviation(string text, int dot)
    {
        var wordStart = dot;
        while (wordStart > 0 && char.IsLetter(text[wordStart - 1]))
            wordStart--;
        var length = dot - wordStart;
        if (length == 0)
            return false;
        if (length == 1 && char.IsUpper(text[wordStart]))
            return true; // an initial: "J. Kerry", "M. Poutine"
        return Abbreviations.Contains(TextFolding.Fold(text[wordStart..dot]));
    }

    private static void Add(List<SentenceSpan> sentences, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
            start++;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
            end--;
        if (end > start)
            sentences.Add(new SentenceSpan(start, end));
    }
}
