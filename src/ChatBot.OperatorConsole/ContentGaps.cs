using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.OperatorConsole;

/// <summary>Declined questions that ask the same thing, with how often, and the article they came closest to.</summary>
public sealed record ContentGap(string Question, IReadOnlyList<string> Variants, int Count, DateTimeOffset Last, IReadOnlyList<string> Terms, string? ClosestArticleId);

/// <summary>
/// Groups declined questions by their content: each question is read as the bot reads it (chat filler, greetings and
/// stopwords gone, English mapped to the corpus's French, typos corrected) and joins the group it shares most of its
/// content terms with (half of the smaller set, at least one rare-enough term), else starts one. Biggest groups first.
/// </summary>
public static class ContentGaps
{
    public static IReadOnlyList<ContentGap> Group(IEnumerable<LoggedQuestion> declined, Func<string, IReadOnlyList<string>> terms)
    {
        var groups = new List<(HashSet<string> Terms, List<LoggedQuestion> Items)>();
        foreach (var question in declined.Where(q => q.Question is not null).OrderByDescending(q => q.At))
        {
            var own = terms(question.Question!).ToHashSet(StringComparer.Ordinal);
            if (own.Count == 0)
                continue;
            var best = -1;
            var bestShared = 0;
            for (var i = 0; i < groups.Count; i++)
            {
                var shared = groups[i].Terms.Count(own.Contains);
                if (shared > bestShared && shared * 2 >= Math.Min(own.Count, groups[i].Terms.Count))
                    (best, bestShared) = (i, shared);
            }
            if (best < 0)
                groups.Add((own, [question]));
            else
            {
                groups[best].Items.Add(question);
                groups[best].Terms.UnionWith(own);
            }
        }
        return groups
            .Select(g => new ContentGap(
                g.Items[0].Question!,
                g.Items.Skip(1).Select(q => q.Question!).Distinct(StringComparer.OrdinalIgnoreCase).Take(5).ToList(),
                g.Items.Count,
                g.Items[0].At,
                g.Terms.Order(StringComparer.Ordinal).ToList(),
                g.Items.SelectMany(q => q.Cited.Take(1)).GroupBy(a => a, StringComparer.Ordinal).OrderByDescending(a => a.Count()).Select(a => a.Key).FirstOrDefault()))
            .OrderByDescending(g => g.Count)
            .ThenByDescending(g => g.Last)
            .ToList();
    }

    /// <summary>
    /// The content terms of a question as the bot understands it: each concept's word and the index words that count
    /// as it (an English word's French equivalents, a corrected spelling), so "price of oil" meets "prix du pétrole".
    /// </summary>
    public static IReadOnlyList<string> TermsOf(Query query) =>
        query.Concepts
            .SelectMany(c => c.Alternatives.Where(a => a.Weight >= 0.5f).Select(a => a.Folded)
                .Prepend(c.Folded)
                .Concat(query.Language == Language.English ? EnglishLexicon.Default.Translate(c.Folded) : []))
            .Select(word => TextAnalyzer.Shared.TermOf(word) ?? word)
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
