using System.Text.RegularExpressions;
using ChatBot.Core.Text;
using ChatBot.Core.Understanding;

namespace ChatBot.Core.Answering.Extraction;

/// <summary>The short answer a sentence gives, how well it fits the kind asked for, and whether it is clear enough to lead with.</summary>
public readonly record struct ShortAnswer(string? Text, double Fit, bool Confident)
{
    public static ShortAnswer None { get; } = new(null, 0, false);
}

/// <summary>
/// Picks, among the spans of a sentence of the kind asked for (<see cref="EntitySpans"/>), the one the question points
/// at: not already in the question, near the words the question shares with the sentence, and for "combien de X"
/// counting X. It is confident only when its kind is clear and no other span of the sentence competes closely.
/// </summary>
public static partial class ShortAnswerPicker
{
    [GeneratedRegex(@"\b(?:combien\s+(?:de|d')\s*|how\s+many\s+|how\s+much\s+|nombre\s+(?:de|d')\s*)(\p{L}+)", RegexOptions.IgnoreCase)]
    private static partial Regex CountedNoun();

    public static ShortAnswer Pick(string sentence, Query query, IReadOnlySet<string> questionWords)
    {
        var type = query.AnswerType;
        var spans = EntitySpans.Find(sentence, type);
        if (spans.Count == 0)
            return ShortAnswer.None;
        var anchors = Anchors(sentence, questionWords);
        var counted = CountedNoun().Match(TextFolding.Fold(query.Cleaned)) is { Success: true } m ? TextAnalyzer.Shared.TermOf(m.Groups[1].Value) : null;

        var scored = new List<(string Text, double Score, double Cue, bool Unit)>();
        foreach (var span in spans)
        {
            var value = EntitySpans.WithoutQuestionWords(span.Of(sentence).Trim().TrimEnd(',', '.', ';', ':'), questionWords);
            if (value.Length == 0 || EntitySpans.InQuestion(value, questionWords))
                continue;
            var distance = anchors.Count == 0 ? 10 : anchors.Min(a => Math.Abs(a - span.Start)) / 6.0; // ~6 characters a word
            var unit = counted is not null && TextAnalyzer.Shared.Terms(value).Contains(counted) ? 0.5 : 0;
            scored.Add((value, span.Cue + unit - 0.02 * Math.Min(distance, 25), span.Cue, unit > 0));
        }
        if (scored.Count == 0)
            return ShortAnswer.None;
        scored.Sort((a, b) => b.Score.CompareTo(a.Score));
        var best = scored[0];
        var margin = scored.Count == 1 ? double.MaxValue : best.Score - scored[1].Score;
        // "Combien de militaires ?": a number of something else ("37 pays") is not the answer, however close.
        var counts = counted is null || type != AnswerType.Number || best.Unit;
        return new ShortAnswer(best.Text, best.Cue, best.Cue >= 1 && margin >= 0.15 && counts);
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
