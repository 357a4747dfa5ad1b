using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Answering.Extraction;

/// <summary>
/// A question that presupposes what the corpus denies ("Pourquoi l'Iran a-t-il demandé l'aide militaire russe ?" when
/// an article says "L'Iran n'a pas demandé d'aide militaire à la Russie"): the sentence (or title) that says the
/// question's topic and predicate under a negation, or that reports a denial of them, corrects it. Neither declined
/// nor agreed with: answered with the correction, cited.
/// </summary>
public static partial class FalsePremise
{
    /// <summary>"n'a pas demandé", "ne … jamais", "not", "never": a negation and up to three words before what it denies.</summary>
    [GeneratedRegex(@"\b(?:ne|n['’])\s*(?:[\p{L}-]+\s+){0,2}?(?:pas|jamais|plus|aucun|aucune|guère|point)\b|\b(?:not|never|no longer)\b|n't\b", RegexOptions.IgnoreCase)]
    private static partial Regex Negation();

    [GeneratedRegex(@"\b(?:démenti|démentie|démentis|démentent|dément|démentait|démentaient|nié|niée|nient|nie|faux|fausses?|infondée?s?|sans fondement|denied|denies|false|unfounded)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Denial();

    [GeneratedRegex(@"\b(?:ne|n['’])\s*(?:[\p{L}-]+\s+){0,2}?(?:pas|jamais|plus)\b|\b(?:not|never)\b|n't\b", RegexOptions.IgnoreCase)]
    private static partial Regex NegatedQuestion();

    /// <summary>How far (characters) after the negation the denied word may sit: "n'a pas manifesté d'intérêt" is one clause.</summary>
    private const int NegationReach = 40;

    public sealed record Correction(Passage Passage, string Sentence);

    /// <summary>The correcting sentence among the best passages (their titles first), or null when nothing contradicts the question.</summary>
    public static Correction? Find(RetrievalResult retrieval, int passages = 3)
    {
        var query = retrieval.Query;
        if (query.IsEmpty || query.AnswerType is AnswerType.ArticleDate or AnswerType.ArticleSource || NegatedQuestion().IsMatch(query.Cleaned))
            return null;
        var predicate = query.Concepts.Where(c => !c.IsName).ToList();
        var names = query.Concepts.Where(c => c.IsName).ToList();
        if (predicate.Count == 0 && query.Ask.Family is null)
            return null;
        foreach (var passage in retrieval.Passages.Take(passages))
        {
            var sentences = SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End)
                .Select(s => s.Of(passage.ArticleText).Trim())
                .Where(s => s.Length > 0)
                .Prepend(passage.Title)
                .ToList();
            string? previous = null;
            foreach (var sentence in sentences)
            {
                if (Contradicts(sentence, previous, predicate, names, query.Ask))
                    return new Correction(passage, sentence);
                previous = sentence;
            }
        }
        return null;
    }

    /// <summary>
    /// The sentence holds the question's names (or the sentence before it does) and denies its predicate: a negation
    /// right before a predicate word ("n'a pas demandé"), or a denial of what the sentence before reports ("Les rumeurs
    /// de sa mort … Les autorités ont démenti ces informations").
    /// </summary>
    private static bool Contradicts(string sentence, string? previous, List<QueryConcept> predicate, List<QueryConcept> names, QuestionAsk ask)
    {
        var words = new TextWords(sentence, WordAnalysers.Shared);
        var before = previous is null ? null : new TextWords(previous, WordAnalysers.Shared);
        if (names.Count > 0 && !names.All(c => words.Contains(c) || before?.Contains(c) == true))
            return false;
        if (ask.Family is { } asked && !asked.Evidence.IsMatch(sentence.ToLowerInvariant()) && !(previous is not null && asked.Evidence.IsMatch(previous.ToLowerInvariant())))
            return false; // the question asks a budget; a denial of something else about the topic is no correction
        foreach (Match negation in Negation().Matches(sentence))
        {
            var reach = sentence[negation.Index..Math.Min(sentence.Length, negation.Index + negation.Length + NegationReach)];
            var denied = new TextWords(reach, WordAnalysers.Shared);
            // Most of what the question predicates must be denied, not one shared word: "l'Iran n'a pas manifesté
            // d'intérêt" does not deny that Iran asked for help, "n'a pas demandé d'aide militaire" does.
            if (predicate.Count > 0 && predicate.Count(denied.Contains) * 2 >= predicate.Count + 1 && predicate.Count(words.Contains) == predicate.Count)
                return true;
        }
        if (Denial().IsMatch(sentence) && before is not null)
        {
            var reported = ask.Family is { } family ? family.Evidence.IsMatch(previous!.ToLowerInvariant()) : predicate.Count > 0 && predicate.All(before.Contains);
            if (reported)
                return true;
        }
        return false;
    }
}
