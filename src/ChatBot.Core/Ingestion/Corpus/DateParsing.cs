using System.Globalization;
using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>Finds publication dates written the ways news sites write them, in French or English.</summary>
public static partial class DateParsing
{
    private static readonly string[] FrenchMonths =
        ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"];

    private static readonly string[] EnglishMonths =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{1,2})-(?<d>\d{1,2})(?!\d)")]
    private static partial Regex IsoDate();

    [GeneratedRegex(@"\b(?<a>\d{1,2})[-/.](?<b>\d{1,2})[-/.](?<y>\d{4})\b")]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"\b(?<d>\d{1,2})(?:er)?\s+(?<m>[a-z]+)\.?\s+(?<y>\d{4})\b")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"\b(?<m>[a-z]+)\.?\s+(?<d>\d{1,2}),?\s+(?<y>\d{4})\b")]
    private static partial Regex MonthDayYear();

    /// <summary>The first date written in <paramref name="text"/>, or null. Day-first unless that is impossible.</summary>
    public static DateOnly? Find(string text)
    {
        var folded = TextFolding.Fold(text);
        if (IsoDate().Match(folded) is { Success: true } iso && Make(iso, "y", "m", "d") is { } isoDate)
            return isoDate;
        if (NumericDate().Match(folded) is { Success: true } numeric)
        {
            var a = int.Parse(numeric.Groups["a"].Value, CultureInfo.InvariantCulture);
            var b = int.Parse(numeric.Groups["b"].Value, CultureInfo.InvariantCulture);
            var y = int.Parse(numeric.Groups["y"].Value, CultureInfo.InvariantCulture);
            return b > 12 ? Create(y, a, b) : Create(y, b, a);
        }
        foreach (Match match in DayMonthYear().Matches(folded))
        {
            if (MonthNumber(match.Groups["m"].Value) is { } month)
                return Create(Int(match, "y"), month, Int(match, "d"));
        }
        foreach (Match match in MonthDayYear().Matches(folded))
        {
            if (MonthNumber(match.Groups["m"].Value) is { } month)
                return Create(Int(match, "y"), month, Int(match, "d"));
        }
        return null;
    }

    /// <summary>Parses a metadata value (JSONL <c>published</c>, HTML meta): ISO first, then the prose forms.</summary>
    public static DateOnly? ParseValue(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return DateOnly.FromDateTime(parsed.UtcDateTime);
        return Find(value);
    }

    public static int? MonthNumber(string word)
    {
        var index = Array.IndexOf(FrenchMonths, word);
        if (index < 0)
            index = Array.IndexOf(EnglishMonths, word);
        if (index < 0 && word.Length >= 3)
            index = Array.FindIndex(EnglishMonths, m => m.StartsWith(word, StringComparison.Ordinal));
        return index < 0 ? null : index + 1;
    }

    private static DateOnly? Make(Match match, string y, string m, string d) => Create(Int(match, y), Int(match, m), Int(match, d));

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    private static DateOnly? Create(int year, int month, int day) =>
        year is >= 1800 and <= 2200 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            ? new DateOnly(year, month, day)
            : null;
}
