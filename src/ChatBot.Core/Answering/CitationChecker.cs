using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;

namespace ChatBot.Core.Answering;

/// <summary>
/// Makes a model's text safe to show as grounded: <c>[n]</c> that name no passage are removed, the others renumbered
/// in order of first use, and each citation gets the passage sentence that best supports its claim. "not in the corpus"
/// is recognised as a refusal.
/// </summary>
public sealed partial class CitationChecker(TextAnalyzer analyzer)
{
    public const string NotInCorpus = "not in the corpus";

    [GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"[ \t]{2,}")]
    private static partial Regex RepeatedSpace();

    [GeneratedRegex(@" +(?=[.,;:!?])")]
    private static partial Regex SpaceBeforePunctuation();

    public static bool SaysNotInCorpus(string text)
    {
        var plain = text.Trim().TrimEnd('.', '!', ' ').Trim('"', '«', '»', ' ');
        return plain.Length < NotInCorpus.Length + 20 && plain.Contains(NotInCorpus, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The passages as the prompts number them: <c>[n] title — source, date</c> then the text.</summary>
    public static string Numbered(IReadOnlyList<Passage> passages, Language language)
    {
        var text = new StringBuilder();
        for (var i = 0; i < passages.Count; i++)
        {
            var p = passages[i];
            text.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {p.Title} — {p.Source ?? BotMessages.Get("source.unknown", language)}, {ReplyFormatter.FormatDate(p.Published, language)}\n");
            text.Append(p.Text.Trim()).Append("\n\n");
        }
        return text.ToString().TrimEnd();
    }

    public GeneratedAnswer Check(string text, IReadOnlyList<Passage> passages)
    {
        var order = new List<int>();
        foreach (Match match in Marker().Matches(text))
        {
            var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (n >= 1 && n <= passages.Count && !order.Contains(n))
                order.Add(n);
        }
        var cleaned = Marker().Replace(text, m =>
        {
            var index = order.IndexOf(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
            return index < 0 ? "" : $"[{index + 1}]";
        });
        // A removed marker leaves its spaces behind: "claim [9]." → "claim ."
        cleaned = SpaceBeforePunctuation().Replace(RepeatedSpace().Replace(cleaned, " "), "").Trim();

        var claims = SentenceSplitter.Split(text).Select(s => s.Of(text)).ToList();
        var citations = new List<Citation>();
        foreach (var n in order)
        {
            var passage = passages[n - 1];
            var claim = string.Join(" ", claims.Where(c => c.Contains($"[{n}]", StringComparison.Ordinal)));
            citations.Add(new Citation(citations.Count + 1, passage.ArticleId, passage.Title, passage.Source, passage.Published, passage.Url, SupportingQuote(passage, claim)));
        }
        return new GeneratedAnswer(cleaned, citations);
    }

    /// <summary>The passage sentence sharing most words with the claim, so a reader can check it in the original language.</summary>
    private string SupportingQuote(Passage passage, string claim)
    {
        var claimTerms = analyzer.Terms(Marker().Replace(claim, "")).ToHashSet(StringComparer.Ordinal);
        return SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End)
            .Select(s => s.Of(passage.ArticleText))
            .OrderByDescending(s => analyzer.Terms(s).Count(claimTerms.Contains))
            .ThenBy(s => s.Length)
            .FirstOrDefault() ?? "";
    }
}
