using System.Collections.Frozen;
using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// One kind of thing a question asks about its topic (a birth, an age, a salary, a successor…), from
/// <c>Resources/asks.tsv</c>: the words that show a question asks it, the words that show a sentence says it, the kind
/// of short answer that fits, and how a decline names what is missing.
/// </summary>
public sealed record AskFamily(string Key, Regex Cue, Regex Evidence, AnswerType? Type, string French, string English)
{
    public string Label(Language language) => language == Language.English ? English : French;
}

/// <summary>
/// What a question asks about its topic, apart from the topic: "Quel âge a Sergueï Lavrov ?" is about Lavrov and asks
/// his age (<see cref="Family"/>); "Combien de Su-34 l'armée russe possède-t-elle ?" asks a number of Su-34
/// (<see cref="CountedForms"/>: a sentence answers only with a number attached to them). A passage that covers the
/// topic but not the ask does not answer.
/// </summary>
public sealed partial record QuestionAsk(AskFamily? Family, IReadOnlyList<string> CountedForms)
{
    public static QuestionAsk None { get; } = new(null, []);

    public bool IsEmpty => Family is null && CountedForms.Count == 0;

    /// <summary>A quantity, in digits or words; not a designation ("Su-34") nor a year or a day of the month.</summary>
    [GeneratedRegex(@"(?<![\p{L}\d-])(?:\d[\d  .,]*\d|\d|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante|cinquante|soixante|cent|cents|mille|millions?|milliards?|dizaines?|douzaines?|centaines?|milliers|plusieurs|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?)\b(?!\s*(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre)\b)", RegexOptions.IgnoreCase)]
    private static partial Regex Quantity();

    /// <summary>Counted nouns that any quantity of a sentence about the topic may stand for ("treize tués" counts people).</summary>
    private static readonly FrozenSet<string> GenericCounts = new[] { "personnes", "personne", "gens", "individus", "hommes", "people", "persons", "victimes" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="sentence"/> says what is asked (the family's words; for a count, a quantity beside the counted thing or the family's words: "cent fils" for "combien d'enfants").</summary>
    public bool AnsweredBy(string sentence) => Anchors(sentence).Any();

    /// <summary>Where in <paramref name="sentence"/> it says what is asked (character offsets): a short answer must sit near them.</summary>
    public IEnumerable<int> Anchors(string sentence)
    {
        var lower = sentence.ToLowerInvariant();
        if (CountedForms.Count > 0)
        {
            // A count is said by a quantity in a sentence that names what is counted (or, for people, any quantity).
            var quantities = Quantity().Matches(lower).Where(m => !IsYear(m.Value)).ToList();
            if (quantities.Count == 0)
                yield break;
            var words = TextFolding.Fold(lower).Split([' ', '\'', '\u2019', ',', '.', ';', ':', '(', ')', '"', '«', '»'], StringSplitOptions.RemoveEmptyEntries);
            if (!CountedForms.Any(GenericCounts.Contains) && !words.Any(w => CountedForms.Any(f => SameWord(f, w))) && Family?.Evidence.IsMatch(lower) != true)
                yield break;
            foreach (var m in quantities)
                yield return m.Index;
            yield break;
        }
        if (Family is null)
            yield break;
        foreach (Match m in Family.Evidence.Matches(lower))
            yield return m.Index;
    }

    /// <summary>"900 morts", "quatre strathspeys", "2 500 de ces personnes": a quantity right before what is counted.</summary>
    [GeneratedRegex(@"(?<![\p{L}\d-])(?:\d[\d  .,]*\d|\d|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|soixante|cent|cents|mille|millions?|milliards?|dizaines?|centaines?|milliers|plusieurs|two|three|four|five|six|seven|eight|nine|ten|dozens?|hundreds?|thousands?|millions?)\s+(?:(?:de|d'|d’|of)\s*)?(?<noun>[\p{L}\p{N}-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex QuantityOfNoun();

    /// <summary>
    /// Whether a quantity stands right before the counted noun (or the count is of people): then the sentence says the
    /// number itself, whatever else it says; otherwise it must also say what the question predicates of them.
    /// </summary>
    public bool CountsDirectly(string sentence) =>
        CountedForms.Any(GenericCounts.Contains)
        || QuantityOfNoun().Matches(sentence.ToLowerInvariant()).Any(m => CountedForms.Any(f => SameWord(f, TextFolding.Fold(m.Groups["noun"].Value))));

    /// <summary>Whether <paramref name="text"/> names what the question counts (a form of the counted noun).</summary>
    public bool Names(string text)
    {
        if (CountedForms.Count == 0 || CountedForms.Any(GenericCounts.Contains))
            return CountedForms.Count > 0;
        return WordSplit().Split(TextFolding.Fold(text)).Any(w => CountedForms.Any(f => SameWord(f, w)));
    }

    [GeneratedRegex(@"[^\p{L}\p{N}-]+")]
    private static partial Regex WordSplit();

    /// <summary>"Le corpus parle de X, mais pas de …": what is missing, in the reply's language.</summary>
    public string Label(Language language) =>
        Family?.Label(language) ?? (language == Language.English ? "how many there are" : "leur nombre");

    private static bool IsYear(string value) => value.Length == 4 && value.All(char.IsAsciiDigit) && int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) is >= 1800 and <= 2099;

    private static bool SameWord(string counted, string word)
    {
        if (counted == word)
            return true;
        var shared = Math.Min(5, Math.Min(counted.Length, word.Length));
        return shared >= 4 && counted.AsSpan(0, shared).SequenceEqual(word.AsSpan(0, shared)) && Math.Abs(counted.Length - word.Length) <= 3;
    }
}

/// <summary>Reads <see cref="QuestionAsk"/> off a question with the families of <c>Resources/asks.tsv</c>.</summary>
public static partial class QuestionAsks
{
    /// <summary>"Combien de temps", "combien d'années": a duration, said in any unit; "combien de fois": a frequency.</summary>
    private static readonly FrozenSet<string> NotCounted = new[] { "temps", "time", "fois", "annees", "ans", "mois", "jours", "semaines", "heures", "minutes", "siecles", "years", "months", "days", "weeks", "hours" }.ToFrozenSet(StringComparer.Ordinal);

    public static IReadOnlyList<AskFamily> Families { get; } = Load(EmbeddedData.Lines("asks.tsv"));

    [GeneratedRegex(@"\b(?:combien\s+(?:de|d')\s*|how\s+many\s+|nombre\s+(?:de|d')\s*)(?<noun>[\p{L}\p{N}][\p{L}\p{N}-]*)", RegexOptions.IgnoreCase)]
    private static partial Regex CountedNoun();

    /// <summary>The counted noun of "combien de X" / "how many X", folded; null when the question counts nothing.</summary>
    public static string? CountedNounOf(string question) =>
        CountedNoun().Match(TextFolding.Fold(question)) is { Success: true } m && !NotCounted.Contains(m.Groups["noun"].Value) ? m.Groups["noun"].Value : null;

    [GeneratedRegex(@"\b(?:date|annee|jour|quand|when|year|day)\b")]
    private static partial Regex AsksWhen();

    /// <summary>
    /// The family the question asks about, if any (the first that matches, in file order); a family of dates only for a
    /// question that asks when (<paramref name="answerType"/> Date or Age, or "la date de naissance").
    /// </summary>
    public static AskFamily? FamilyOf(string question, AnswerType answerType)
    {
        var lower = question.ToLowerInvariant();
        var folded = TextFolding.Fold(question);
        var when = answerType is AnswerType.Date or AnswerType.Age || AsksWhen().IsMatch(folded);
        return Families.FirstOrDefault(f => (f.Type != AnswerType.Date || when) && (f.Cue.IsMatch(lower) || f.Cue.IsMatch(folded)));
    }

    public static IReadOnlyList<AskFamily> Load(IEnumerable<string> lines)
    {
        var families = new List<AskFamily>();
        foreach (var line in lines)
        {
            var fields = line.Split('\t');
            if (fields.Length != 6)
                throw new InvalidOperationException($"asks.tsv: a line needs 6 tab-separated fields, this one has {fields.Length}: {line}");
            AnswerType? type = fields[3] == "-" ? null : Enum.Parse<AnswerType>(fields[3]);
            families.Add(new AskFamily(fields[0], new Regex(fields[1], RegexOptions.CultureInvariant), new Regex(fields[2], RegexOptions.CultureInvariant), type, fields[4], fields[5]));
        }
        return families;
    }
}
