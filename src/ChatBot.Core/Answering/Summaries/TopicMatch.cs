using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Answering.Summaries;

/// <summary>
/// Whether a sentence is about a topic: a topic is a concept, its words together. "défense aérienne" is in a sentence
/// that says "défense aérienne" (best) or holds both words; one sharing only "Défense" (the ministry) or "aérienne"
/// (the air force) is not about it. A one-word topic needs its word.
/// </summary>
public static class TopicMatch
{
    /// <summary>2 for the topic's words in a row, 1 for all of them apart, 0 when any is missing.</summary>
    public static int Of(string sentence, Query topic, TextAnalyzer analyzer)
    {
        if (topic.Concepts.Count == 0)
            return 0;
        var terms = analyzer.Tokenize(sentence).Where(t => t.IsContent).Select(t => t.Term!).ToList();
        var conceptTerms = topic.Concepts
            .Select(c => c.Alternatives.Where(a => a.Weight >= 0.5f).Select(a => analyzer.TermOf(a.Folded)).OfType<string>().ToHashSet(StringComparer.Ordinal))
            .ToList();
        var positions = conceptTerms.Select(set => terms.Select((t, i) => (t, i)).Where(x => set.Contains(x.t)).Select(x => x.i).ToList()).ToList();
        if (positions.Any(p => p.Count == 0))
            return 0;
        if (positions.Count == 1)
            return 2;
        // In a row: each concept right after the previous one (function words are not terms, so "défense de l'air" counts too).
        foreach (var start in positions[0])
        {
            var at = start;
            var ok = true;
            for (var c = 1; c < positions.Count && ok; c++)
            {
                ok = positions[c].Contains(at + 1);
                at++;
            }
            if (ok)
                return 2;
        }
        return 1;
    }
}
