using System.Globalization;
using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// What a question says about time. Relative expressions ("cette semaine", "depuis juin", "since March") can only mean
/// publication dates: they become a hard range and are cut from the question. Absolute ones ("en 2015", "in November
/// 2015") may name the events as well as the articles: they only favour articles published then (<see cref="Preferred"/>)
/// and stay in the question as words. "le dernier article", "latest" ask for the newest first.
/// </summary>
public sealed record DateIntent(DateOnly? From, DateOnly? To, bool Newest, string Remainder)
{
    public bool IsEmpty => From is null && To is null && !Newest && PreferredFrom is null && PreferredTo is null;

    public bool HasRange => From is not null || To is not null;

    public DateOnly? PreferredFrom { get; init; }
    public DateOnly? PreferredTo { get; init; }

    public bool Preferred(DateOnly? published) =>
        (PreferredFrom is not null || PreferredTo is not null) && published is { } date
        && (PreferredFrom is null || date >= PreferredFrom) && (PreferredTo is null || date <= PreferredTo);

    public bool Contains(DateOnly? published) =>
        published is { } date && (From is null || date >= From) && (To is null || date <= To);
}

public static partial class DateIntents
{
    private const string Months = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december";

    [GeneratedRegex(@"\b(?:en|in|of|de|du|pendant|during)\s+(?<m>" + Months + @")\s+(?<y>(?:19|20)\d\d)\b")]
    private static partial Regex InMonthYear();

    [GeneratedRegex(@"\b(?:en|in|de|of|pendant|during|au cours de)\s+(?<y>(?:19|20)\d\d)\b")]
    private static partial Regex InYear();

    [GeneratedRegex(@"\b(?:depuis|since|apres|after)\s+(?:le\s+(?:mois\s+de\s+)?|l'|the\s+)?(?<m>" + Months + @")(?:\s+(?<y>(?:19|20)\d\d))?\b")]
    private static partial Regex SinceMonth();

    [GeneratedRegex(@"\b(?:depuis|since|apres|after)\s+(?<y>(?:19|20)\d\d)\b")]
    private static partial Regex SinceYear();

    [GeneratedRegex(@"\b(?:avant|before)\s+(?<y>(?:19|20)\d\d)\b")]
    private static partial Regex BeforeYear();

    [GeneratedRegex(@"\b(?:cette semaine|this week|(?:ces|les) (?:7|sept) derniers jours|(?:the )?(?:last|past) (?:7 days|week))\b")]
    private static partial Regex ThisWeek();

    [GeneratedRegex(@"\b(?:ce mois-ci|ce mois|this month|mois dernier|(?:the )?last month|(?:the )?past month)\b")]
    private static partial Regex ThisMonth();

    [GeneratedRegex(@"\b(?:aujourd'hui|today|hier|yesterday)\b")]
    private static partial Regex Today();

    [GeneratedRegex(@"\b(?:(?:le|la|les)\s+(?:plus\s+)?(?:dernier|derniere|derniers|dernieres|recent|recente|recents|recentes)(?:\s+(?:article|articles|nouvelle|nouvelles|information|informations))?|plus recent|plus recente|latest|most recent|newest|last article)\b")]
    private static partial Regex Newest();

    public static DateIntent Parse(string question, DateOnly today)
    {
        // Match on a folded copy of the same length, so that offsets found there cut the original text.
        var folded = FoldKeepingLength(question);
        DateOnly? from = null, to = null, preferredFrom = null, preferredTo = null;
        var newest = false;
        var cuts = new List<(int Start, int Length)>();

        void Cut(Match m) => cuts.Add((m.Index, m.Length));

        if (InMonthYear().Match(folded) is { Success: true } monthYear && Month(monthYear) is { } m1)
        {
            var year = Year(monthYear);
            (preferredFrom, preferredTo) = (new DateOnly(year, m1, 1), new DateOnly(year, m1, DateTime.DaysInMonth(year, m1)));
        }
        else if (InYear().Match(folded) is { Success: true } inYear)
        {
            var year = Year(inYear);
            (preferredFrom, preferredTo) = (new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));
        }
        if (SinceMonth().Match(folded) is { Success: true } sinceMonth && Month(sinceMonth) is { } m2)
        {
            var year = sinceMonth.Groups["y"].Success ? Year(sinceMonth) : (m2 <= today.Month ? today.Year : today.Year - 1);
            from = new DateOnly(year, m2, 1);
            Cut(sinceMonth);
        }
        else if (SinceYear().Match(folded) is { Success: true } sinceYear)
        {
            preferredFrom = new DateOnly(Year(sinceYear), 1, 1);
        }
        if (BeforeYear().Match(folded) is { Success: true } beforeYear)
        {
            preferredTo = new DateOnly(Year(beforeYear) - 1, 12, 31);
        }
        if (ThisWeek().Match(folded) is { Success: true } week)
        {
            from = today.AddDays(-7);
            Cut(week);
        }
        else if (ThisMonth().Match(folded) is { Success: true } month)
        {
            from = today.AddDays(-31);
            Cut(month);
        }
        else if (Today().Match(folded) is { Success: true } day)
        {
            from = today.AddDays(-1);
            Cut(day);
        }
        if (Newest().Match(folded) is { Success: true } latest)
        {
            newest = true;
            Cut(latest);
        }

        var remainder = question;
        foreach (var (start, length) in cuts.OrderByDescending(c => c.Start))
            remainder = remainder.Remove(start, Math.Min(length, remainder.Length - start)).Insert(start, " ");
        return new DateIntent(from, to, newest, TextFolding.CollapseWhitespace(remainder)) { PreferredFrom = preferredFrom, PreferredTo = preferredTo };
    }

    private static string FoldKeepingLength(string text)
    {
        var chars = new char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogate(text[i]))
            {
                chars[i] = text[i]; // half of an emoji: nothing to fold, and not normalisable alone
                continue;
            }
            var decomposed = text[i].ToString().Normalize(System.Text.NormalizationForm.FormD);
            var c = char.ToLowerInvariant(decomposed[0]);
            chars[i] = c is '\u2019' or '\u2018' ? '\'' : c;
        }
        return new string(chars);
    }

    private static int Year(Match match) => int.Parse(match.Groups["y"].Value, CultureInfo.InvariantCulture);

    private static int? Month(Match match) => DateParsing.MonthNumber(match.Groups["m"].Value);
}
