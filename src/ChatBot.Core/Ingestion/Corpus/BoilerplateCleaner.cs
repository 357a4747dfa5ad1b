using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// Separates an article's prose from the page around it. General rules only: phrase lists from a data file, lines
/// that are not sentences, repeated lines and teasers, a trailing block of related links. Bylines and date lines are
/// read as metadata and removed from the body, so no quote can ever be furniture.
/// </summary>
public sealed partial class BoilerplateCleaner(BoilerplatePhrases phrases)
{
    private const int ShortLine = 90;

    public static BoilerplateCleaner Default { get; } = new(BoilerplatePhrases.Default);

    [GeneratedRegex(@"^par\s+(?<who>.+)$")]
    private static partial Regex Byline();

    [GeneratedRegex(@"^avec\s+(?<who>[\p{L}\p{N} .&-]{2,40})$")]
    private static partial Regex AgencyLine();

    [GeneratedRegex(@"^(?:publie|mis a jour|updated|published)\b")]
    private static partial Regex PublishedLabel();

    [GeneratedRegex(@"https?://\S+|www\.\S+")]
    private static partial Regex Url();

    public CleanedText Clean(string raw, string? knownTitle = null)
    {
        var lines = raw.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')
            .Split('\n')
            .Select(TextFolding.CollapseWhitespace)
            .Where(l => l.Length > 0)
            .ToList();

        string? title = knownTitle is null ? null : TextFolding.CollapseWhitespace(knownTitle);
        string? source = null;
        DateOnly? published = null;
        var body = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        foreach (var line in lines)
        {
            var folded = TextFolding.Fold(line);
            if (TryReadMetadata(line, folded, ref source, ref published))
                continue;
            if (IsFurniture(folded))
                continue;
            if (body.Count > 0 && StartsTail(folded))
                break;
            if (!seen.Add(folded))
                continue; // a repeated line: title shown twice, share bar at top and bottom
            if (title is null && IsTitleCandidate(line))
            {
                title = line;
                continue;
            }
            if (title is not null && RepeatsTitle(folded, TextFolding.Fold(title)))
                continue;
            if (!IsProse(line))
                continue;
            body.Add(line);
        }

        RemoveTeasers(body);
        return new CleanedText(string.Join("\n\n", body), title, source, published);
    }

    private static bool TryReadMetadata(string line, string folded, ref string? source, ref DateOnly? published)
    {
        if (line.Length > ShortLine)
            return false;
        if (PublishedLabel().IsMatch(folded))
        {
            published ??= DateParsing.Find(line);
            return true;
        }
        if (Byline().Match(folded) is { Success: true } byline && byline.Groups["who"].Value.Split(' ').Length <= 8)
        {
            source ??= Authors(line[(line.Length - byline.Groups["who"].Length)..]);
            return true;
        }
        if (AgencyLine().Match(folded) is { Success: true } agency)
        {
            source ??= Authors(line[(line.Length - agency.Groups["who"].Length)..]);
            return true;
        }
        if (!EndsLikeSentence(line) && DateParsing.Find(line) is { } date)
        {
            // A short line that carries a date and is not a sentence: a dateline or an embed's timestamp. With a time of
            // day it is the site's clock when the page was saved ("24-11-2024 02:55 AM Jerusalem Timing"): furniture,
            // never the publication date.
            if (!PageClock.IsMatch(folded))
                published ??= date;
            return true;
        }
        return false;
    }

    private bool IsFurniture(string folded)
    {
        foreach (var phrase in phrases.Line)
        {
            if (folded.StartsWith(phrase, StringComparison.Ordinal))
                return true;
            if (folded.Length < ShortLine && !EndsLikeSentence(folded) && folded.Contains(phrase, StringComparison.Ordinal))
                return true;
        }
        foreach (var phrase in phrases.Embed)
        {
            if (folded.Contains(phrase, StringComparison.Ordinal))
                return true;
        }
        return folded.StartsWith("- ", StringComparison.Ordinal) && folded.Contains("(@", StringComparison.Ordinal);
    }

    private bool StartsTail(string folded) =>
        folded.Length < 60 && phrases.Tail.Any(p => folded.StartsWith(p, StringComparison.Ordinal));

    private static bool IsTitleCandidate(string line) =>
        WordCount(line) >= 3 && line.Length <= 200 && !line.EndsWith('.');

    /// <summary>The title again, whole or cut short (pages often repeat a truncated headline).</summary>
    private static bool RepeatsTitle(string folded, string foldedTitle) =>
        folded == foldedTitle || (folded.Length >= 12 && !EndsLikeSentence(folded) && foldedTitle.StartsWith(folded, StringComparison.Ordinal));

    /// <summary>Body lines are sentences, or headings long enough to say something; short fragments are navigation.</summary>
    private static bool IsProse(string line)
    {
        var withoutUrls = Url().Replace(line, "").Trim();
        if (withoutUrls.Length < line.Length / 2)
            return false;
        var words = WordCount(withoutUrls);
        return EndsLikeSentence(withoutUrls) ? words >= 3 : words >= 5;
    }

    /// <summary>
    /// Drops a paragraph that reappears at the start of a later one: the teaser before an advert, the lead repeated
    /// as the first sentence.
    /// </summary>
    private static void RemoveTeasers(List<string> body)
    {
        for (var i = body.Count - 2; i >= 0; i--)
        {
            var candidate = TextFolding.Fold(body[i]);
            for (var j = i + 1; j < body.Count; j++)
            {
                var later = TextFolding.Fold(body[j]);
                if (later.Length > candidate.Length && later.StartsWith(candidate, StringComparison.Ordinal))
                {
                    body.RemoveAt(i);
                    break;
                }
            }
        }
    }

    private static string Authors(string who)
    {
        var names = Regex.Split(who, @"\s+(?:avec|with|et|and)\s+|,\s*", RegexOptions.IgnoreCase)
            .Select(n => Regex.Replace(n.Trim(), @"^(?:avec|with)\s+", "", RegexOptions.IgnoreCase).Trim())
            .Where(n => n.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return string.Join(", ", names);
    }

    private static bool EndsLikeSentence(string line)
    {
        var trimmed = line.TrimEnd('"', '\'', '»', '”', '’', ')', ' ');
        return trimmed.Length > 0 && trimmed[^1] is '.' or '!' or '?' or '…' or ':' or ';';
    }

    private static int WordCount(string line) =>
        line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
}
