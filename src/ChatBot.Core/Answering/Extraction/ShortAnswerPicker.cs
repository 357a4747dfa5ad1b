using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Answering.Extraction;

/// <summary>The short answer a sentence gives, how well it fits the kind asked for, and whether it is clear enough to lead with.</summary>
/// <param name="Counts">For "combien de X", whether the span counts X: a number of something else is no rival answer either.</param>
public readonly record struct ShortAnswer(string? Text, double Fit, bool Confident, bool Counts = true)
{
    public static ShortAnswer None { get; } = new(null, 0, false);
}

/// <summary>
/// Picks, among the spans of a sentence of the kind asked for (<see cref="EntitySpans"/>), the one the question points
/// at: not already in the question, near the words the question shares with the sentence, and for "combien de X"
/// counting X. It is confident (bold) only when it is the answer: the sentence says what is asked
/// (<see cref="QuestionAsk"/>), the span has the kind asked for and no other span competes closely, it is no part of
/// the question's own topic ("qui a remplacé Choïgou ?" is never "Sergueï Choïgou"), and it is attached to the words
/// that say what is asked (the date that goes with "né", not any date of the sentence).
/// </summary>
public static partial class ShortAnswerPicker
{
    /// <summary>
    /// How far (in characters, about seven words) a bold answer may sit from the words that say what is asked: further
    /// away it is most often the answer to something else the sentence says.
    /// </summary>
    public const int MaxAttachChars = 45;

    [GeneratedRegex(@"\b(?:combien\s+(?:de|d')\s*|how\s+many\s+|how\s+much\s+|nombre\s+(?:de|d')\s*)(\p{L}+)", RegexOptions.IgnoreCase)]
    private static partial Regex CountedNoun();

    [GeneratedRegex(@"%|\bpour ?cent\b|\bpourcentage|\bpercent|\bproportion\b|\bpart\b")]
    private static partial Regex Share();

    /// <summary>The word that says how a place, a date or a quantity answers: "au Royaume-Uni", "en 1862", "environ 60 frères".</summary>
    [GeneratedRegex(@"\b(?:à|au|aux|en|dans|près de|pres de|sur|vers|chez|in|at|near)\s+(?:l['’]|la\s+|le\s+|les\s+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceLead();

    [GeneratedRegex(@"\b(?:en|depuis|dès|des|vers|jusqu['’]en|jusqu['’]au|in|since|until)\s+$", RegexOptions.IgnoreCase)]
    private static partial Regex DateLead();

    [GeneratedRegex(@"\b(?:environ|près de|pres de|plus de|moins de|au moins|au plus|quelque|presque|about|nearly|almost|over|more than|less than|at least)\s+$", RegexOptions.IgnoreCase)]
    private static partial Regex NumberLead();

    public static ShortAnswer Pick(string sentence, Query query, IReadOnlySet<string> questionWords)
    {
        var type = query.AnswerType;
        var spans = EntitySpans.Find(sentence, type);
        if (spans.Count == 0)
            return ShortAnswer.None;
        // A question with a particular ask (an age, a successor, a number of X) is answered only by a sentence that says
        // it, and its answer sits by the words that say it; otherwise by the question's own words.
        var askAnchors = query.Ask.IsEmpty ? null : query.Ask.Anchors(sentence).ToList();
        // Without one, a date or a quantity is anchored by the words that say what the question predicates ("démissionne",
        // "fermées") rather than by its names: a date near "Baker" may be any date of Baker's life. A name is anchored by
        // all the question's words ("le ministre iranien" picks the Iranian minister, not the Russian one).
        var anchors = askAnchors is { Count: > 0 } ? askAnchors
            : type is AnswerType.Date or AnswerType.Number or AnswerType.Age && PredicateAnchors(sentence, query) is { Count: > 0 } predicate ? predicate
            : Anchors(sentence, questionWords);
        var saysAsk = askAnchors is null or { Count: > 0 };
        var counted = CountedNoun().Match(TextFolding.Fold(query.Cleaned)) is { Success: true } m ? TextAnalyzer.Shared.TermOf(m.Groups[1].Value) : null;
        var topic = query.Concepts.Where(c => c.IsName).ToList();
        // "Quel pourcentage …?" is answered by a share, not by any number of the sentence.
        var share = type == AnswerType.Number && Share().IsMatch(TextFolding.Fold(query.Cleaned));

        var scored = new List<(string Text, double Score, double Cue, bool Unit, bool Attached)>();
        foreach (var span in spans)
        {
            var value = EntitySpans.WithoutQuestionWords(span.Of(sentence).Trim().TrimEnd(',', '.', ';', ':'), questionWords);
            if (value.Length == 0 || EntitySpans.InQuestion(value, questionWords) || NamesTopic(value, topic, type) || share && !Share().IsMatch(TextFolding.Fold(value)))
                continue;
            var gap = anchors.Count == 0 ? int.MaxValue : anchors.Min(a => a < span.Start ? span.Start - a : a > span.End ? a - span.End : 0);
            var distance = anchors.Count == 0 ? 10 : anchors.Min(a => Math.Abs(a - span.Start)) / 6.0; // ~6 characters a word
            var unit = counted is not null && TextAnalyzer.Shared.Terms(value).Contains(counted) ? 0.5 : 0;
            if (span.Of(sentence).StartsWith(value, StringComparison.Ordinal))
                value = WithLead(sentence, span.Start, type) + value;
            scored.Add((value, span.Cue + unit - 0.02 * Math.Min(distance, 25), span.Cue, unit > 0, gap <= MaxAttachChars));
        }
        if (scored.Count == 0)
            return ShortAnswer.None;
        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        var best = scored[0];
        var margin = scored.Count == 1 ? double.MaxValue : best.Score - scored[1].Score;
        // "Combien de militaires ?": a number of something else ("37 pays") is not the answer, however close.
        var counts = counted is null || type != AnswerType.Number || best.Unit;
        return new ShortAnswer(best.Text, best.Cue, saysAsk && best.Attached && best.Cue >= 1 && margin >= 0.15 && counts, counts);
    }

    /// <summary>
    /// The preposition or approximation that belongs to the answer, read before <paramref name="start"/>: "Où ? — au
    /// Royaume-Uni", "Quand ? — en 1862", "Combien ? — environ 60 frères" (the bare "60 frères" says more than the sentence).
    /// </summary>
    private static string WithLead(string sentence, int start, AnswerType type)
    {
        var lead = type switch
        {
            AnswerType.Place => PlaceLead(),
            AnswerType.Date => DateLead(),
            AnswerType.Number => NumberLead(),
            _ => null,
        };
        var before = sentence[Math.Max(0, start - 24)..start];
        return lead?.Match(before) is { Success: true } m ? m.Value : "";
    }

    /// <summary>A person or thing the question is about is not its answer: "Sergueï Choïgou" for "qui a remplacé Choïgou ?".</summary>
    private static bool NamesTopic(string value, List<QueryConcept> topic, AnswerType type)
    {
        if (type is not (AnswerType.Person or AnswerType.Entity or AnswerType.Place) || topic.Count == 0)
            return false;
        var words = TextAnalyzer.Shared.Tokenize(value).Select(t => t.Folded).ToList();
        return words.Any(w => topic.Any(c => c.Words.Any(f => f == w || f.Length >= 5 && w.Length >= 5 && f.AsSpan(0, 5).SequenceEqual(w.AsSpan(0, 5)))));
    }

    /// <summary>Where in the sentence the question's words other than its names are, by light stem (character offsets).</summary>
    private static List<int> PredicateAnchors(string sentence, Query query)
    {
        var terms = query.Concepts.Where(c => !c.IsName)
            .SelectMany(c => c.Alternatives.Where(a => a.Weight >= 0.5f).Select(a => TextAnalyzer.Shared.TermOf(a.Folded)))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
        var anchors = new List<int>();
        foreach (var token in TextAnalyzer.Shared.Tokenize(sentence))
        {
            if (token.IsContent && token.Term is { } term && terms.Contains(term))
                anchors.Add(token.Start);
        }
        return anchors;
    }

    /// <summary>Where in the sentence the question's own words are (character offsets).</summary>
    private static List<int> Anchors(string sentence, IReadOnlySet<string> questionWords)
    {
        var anchors = new List<int>();
        foreach (var token in TextAnalyzer.Shared.Tokenize(sentence))
        {
            if (token.IsContent && questionWords.Contains(token.Folded))
                anchors.Add(token.Start);
        }
        return anchors;
    }
}
