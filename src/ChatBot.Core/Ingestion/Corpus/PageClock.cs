using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// A line that gives a time of day beside its date is a site's clock (when the page was rendered or saved), not the
/// article's publication date: the patterns of <c>Resources/page-clocks.txt</c>.
/// </summary>
public static class PageClock
{
    private static readonly Regex[] Patterns = EmbeddedData.Lines("page-clocks.txt")
        .Select(p => new Regex(p, RegexOptions.CultureInvariant | RegexOptions.IgnoreCase))
        .ToArray();

    /// <summary>Whether the (folded) line reads as a clock.</summary>
    public static bool IsMatch(string folded) => Patterns.Any(p => p.IsMatch(folded));
}
