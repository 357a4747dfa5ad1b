using System.Text;
using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Evaluation;

/// <summary>
/// SQuAD's answer metrics adapted to French: texts are compared case-, accent- and punctuation-insensitively, with
/// French (and English) articles removed ("l'Iran" = "Iran", "les Su-34" = "Su-34"), on whitespace-separated tokens.
/// </summary>
public static partial class AnswerMetrics
{
    [GeneratedRegex(@"\b(le|la|les|l|un|une|des|du|de|d|the|a|an)\b")]
    private static partial Regex Articles();

    public static string Normalize(string text)
    {
        var folded = TextFolding.Fold(text);
        var builder = new StringBuilder(folded.Length);
        foreach (var c in folded)
            builder.Append(char.IsLetterOrDigit(c) ? c : ' ');
        var withoutArticles = Articles().Replace(builder.ToString(), " ");
        return string.Join(' ', withoutArticles.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>Whether <paramref name="text"/> holds one of the answers (normalised, on word boundaries).</summary>
    public static bool Contains(string text, IEnumerable<string> answers)
    {
        var haystack = " " + Normalize(text) + " ";
        return answers.Select(Normalize).Where(a => a.Length > 0).Any(a => haystack.Contains(" " + a + " ", StringComparison.Ordinal));
    }

    public static bool ExactMatch(string prediction, IEnumerable<string> answers)
    {
        var p = Normalize(prediction);
        return answers.Any(a => Normalize(a) == p);
    }

    /// <summary>Token F1 against the best-matching answer.</summary>
    public static double F1(string prediction, IEnumerable<string> answers) =>
        answers.Select(a => F1(Normalize(prediction).Split(' ', StringSplitOptions.RemoveEmptyEntries), Normalize(a).Split(' ', StringSplitOptions.RemoveEmptyEntries))).DefaultIfEmpty(0).Max();

    private static double F1(string[] prediction, string[] gold)
    {
        if (prediction.Length == 0 || gold.Length == 0)
            return prediction.Length == gold.Length ? 1 : 0;
        var counts = gold.GroupBy(t => t).ToDictionary(g => g.Key, g => g.Count());
        var common = 0;
        foreach (var token in prediction)
        {
            if (counts.TryGetValue(token, out var left) && left > 0)
            {
                common++;
                counts[token] = left - 1;
            }
        }
        if (common == 0)
            return 0;
        var precision = (double)common / prediction.Length;
        var recall = (double)common / gold.Length;
        return 2 * precision * recall / (precision + recall);
    }
}
