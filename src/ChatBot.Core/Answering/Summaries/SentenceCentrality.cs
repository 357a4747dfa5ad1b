using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Answering.Summaries;

/// <summary>
/// Ranks an article's sentences by how much they share with the rest of it (cosine of term sets, a TextRank-like
/// centrality), with a small nudge for the lead, as news puts the essentials first.
/// </summary>
public sealed class SentenceCentrality(TextAnalyzer analyzer)
{
    private const int MinSentenceChars = 40;

    public sealed record RankedSentence(int Start, int End, string Text, double Score);

    public List<RankedSentence> Rank(string text)
    {
        // Complete sentences only: a heading or subtitle without final punctuation would run into the next quote.
        var spans = SentenceSplitter.Split(text).Where(s => s.Length >= MinSentenceChars && EndsSentence(s.Of(text))).ToList();
        var terms = spans.Select(s => analyzer.Terms(s.Of(text)).ToHashSet(StringComparer.Ordinal)).ToList();
        var ranked = new List<RankedSentence>(spans.Count);
        for (var i = 0; i < spans.Count; i++)
        {
            double sum = 0;
            for (var j = 0; j < spans.Count; j++)
            {
                if (i != j)
                    sum += Cosine(terms[i], terms[j]);
            }
            var centrality = spans.Count > 1 ? sum / (spans.Count - 1) : 1;
            var lead = i == 0 ? 0.1 : i == 1 ? 0.05 : 0;
            ranked.Add(new RankedSentence(spans[i].Start, spans[i].End, spans[i].Of(text), centrality + lead));
        }
        return ranked;
    }

    /// <summary>The <paramref name="count"/> most central sentences, in article order.</summary>
    public List<RankedSentence> Top(string text, int count) =>
        Rank(text).OrderByDescending(s => s.Score).Take(count).OrderBy(s => s.Start).ToList();

    private static bool EndsSentence(string sentence)
    {
        var trimmed = sentence.TrimEnd('"', '\'', '»', '”', '’', ')', ' ', '\u00A0');
        return trimmed.Length > 0 && trimmed[^1] is '.' or '!' or '?' or '…';
    }

    private static double Cosine(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
            return 0;
        var shared = a.Count(b.Contains);
        return shared / Math.Sqrt((double)a.Count * b.Count);
    }
}
