using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Answering.Extraction;

/// <summary>A typed piece of a sentence that may be the short answer: a date, a quantity, an age, a name.</summary>
public readonly record struct EntitySpan(int Start, int End, AnswerType Type, double Cue)
{
    public string Of(string text) => text[Start..End];
}

/// <summary>
/// Finds the spans of a sentence that can answer a question of a given type. French first (the corpus language):
/// "12 janvier 2016", "en 2015", "900 morts", "86 ans", "Hossein Dehghan", "Tel-Aviv". <see cref="EntitySpan.Cue"/> rises
/// when the words around a span say what it is ("à Hamedan" for a place, "le ministre Choïgou" for a person).
/// </summary>
public static partial class EntitySpans
{
    private const string Months = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre";
    private const string Days = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche";

    [GeneratedRegex(@"\b(?:(?:" + Days + @")\s+)?(?:(?:1er|[0-3]?\d)\s+)?(?:" + Months + @")(?:\s+(?:1[0-9]|20)\d\d)?\b|\b(?:" + Days + @")\b|\b(?:1[0-9]|20)\d\d\b|\b[XVI]+e\s+siècle\b|\b\d{1,2}e\s+siècle\b", RegexOptions.IgnoreCase)]
    private static partial Regex Date();

    [GeneratedRegex(@"\b(?:" + Months + @")\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex MonthBefore();

    [GeneratedRegex(@"\b\d{1,3}\s+ans\b", RegexOptions.IgnoreCase)]
    private static partial Regex Age();

    /// <summary>A number (digits with separators, or a written-out one) and the word it counts, if any.</summary>
    [GeneratedRegex(@"(?<![\p{L}\d-])(?:\d+(?:[  .,]\d+)*|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|cent|cents|mille|(?:plusieurs|des|quelques) (?:dizaines|centaines|milliers|millions))(?:\s*(?:%|pour\s?cent|millions?|milliards?|XNUMX))?(?:\s+(?:de\s+|d')?(?!(?:et|ou|à|a|en|de|du|des|le|la|les|sur|par|pour|dans|au|aux|depuis|pendant|avant|après|apres|selon|contre|entre|vers|chez|sous|lors|dont|qui|que|sont|est|ont|ont|était|etait)\b)[\p{L}-]{3,})?", RegexOptions.IgnoreCase)]
    private static partial Regex Number();

    /// <summary>Capitalised words in a row, with the particles names carry (al-, el-, de, ben…).</summary>
    [GeneratedRegex(@"(?:\b|(?<=[«""“]))(?:St\.\s|Ste\.\s)?\p{Lu}[\p{L}’-]*(?:\s+(?:(?:al|el|ben|bin|ibn|de|du|des|van|von|der|la|le|di|da)[\s-]+)?\p{Lu}[\p{L}’-]*|-(?:des|de|du|la|le|sur|en|et|les)-\p{Lu}[\p{L}’-]*|-\p{Lu}[\p{L}’-]*|-\d+)*")]
    private static partial Regex Name();

    /// <summary>A model or system designation: letters and digits joined (Su-34, S-300, F-35, A400M).</summary>
    [GeneratedRegex(@"\b\p{Lu}[\p{L}]{0,3}-?\d{1,4}[A-Z]?\b")]
    private static partial Regex Code();

    [GeneratedRegex(@"(?:\b(?:à|a|au|aux|en|dans|vers|près de|pres de|depuis|sur|de la ville de|région de|region de|province de|base de)\s+(?:l'|la\s+|le\s+)?(?:(?:mont|monts|île|ile|îles|iles|lac|cap|golfe|baie|col|vallée|vallee|fleuve|rivière|riviere|massif|plaine|désert|desert|forteresse|château|chateau|abbaye|monastère|monastere)\s+(?:de\s+|d'|du\s+)?)?)$", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceBefore();

    /// <summary>The kind of place a name is ("le mont Scalpello", "l'île Sainte-Croix", "le désert de Nubie"): part of the answer.</summary>
    [GeneratedRegex(@"\b(?:mont|monts|île|ile|îles|iles|lac|cap|golfe|baie|col|vallée|vallee|fleuve|rivière|riviere|massif|plaine|désert|desert|forteresse|château|chateau|abbaye|monastère|monastere)\s+(?:de\s+|d'|du\s+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PlaceKind();

    [GeneratedRegex(@"(?:\b(?:président|presidente|président|ministre|premier ministre|guide|dirigeant|chef|porte-parole|général|general|secrétaire|ambassadeur|M\.|Mme|homologue|roi|reine|prince|ayatollah|journaliste|représentant|envoyé|vice-premier ministre|successeur|défense|affaires étrangères)\s+(?:\p{Ll}+\s+){0,3})$", RegexOptions.IgnoreCase)]
    private static partial Regex PersonBefore();

    /// <summary>"au nord-ouest de l'Iran", "dans le sud du pays": a place given by its bearing.</summary>
    [GeneratedRegex(@"\b(?:au|à l['’]|dans le|du|le)\s+(?:nord|sud|est|ouest|nord-est|nord-ouest|sud-est|sud-ouest|centre)\s+(?:de\s+l['’]|de\s+la\s+|du\s+|des\s+|de\s+)?\p{Lu}[\p{L}-]*")]
    private static partial Regex Direction();

    [GeneratedRegex(@"\b(?:président|présidente|ministre|guide|dirigeant|chef|porte-parole|général|secrétaire|ambassadeur|M\.|Mme|homologue|roi|reine|prince|ayatollah|journaliste|représentant|envoyé)(?:\s+(?:russe|iranien|iranienne|américain|américaine|syrien|syrienne|israélien|israélienne|turc|français|française|suprême))?\s+$", RegexOptions.IgnoreCase)]
    private static partial Regex TitleBefore();

    /// <summary>Spans of <paramref name="sentence"/> that fit <paramref name="type"/>; for other types, none.</summary>
    public static List<EntitySpan> Find(string sentence, AnswerType type)
    {
        var spans = new List<EntitySpan>();
        switch (type)
        {
            case AnswerType.Date:
                foreach (Match m in Date().Matches(sentence))
                    spans.Add(new EntitySpan(m.Index, m.Index + m.Length, type, m.Value.Any(char.IsDigit) && m.Value.Any(char.IsLetter) ? 1 : 0.5));
                break;
            case AnswerType.Age:
                foreach (Match m in Age().Matches(sentence))
                    spans.Add(new EntitySpan(m.Index, m.Index + m.Length, type, 1));
                break;
            case AnswerType.Number:
                foreach (Match m in Number().Matches(sentence))
                {
                    if (Date().Match(m.Value) is { Success: true } date && (date.Index == 0 && date.Length == m.Length && m.Value.All(char.IsDigit) || date.Value.Any(char.IsLetter)))
                        continue; // a year or a day of a month is a date, not a quantity
                    if (MonthBefore().IsMatch(sentence[..m.Index]))
                        continue; // "septembre 1792 personne ne …": the year of a date, whatever follows it
                    spans.Add(new EntitySpan(m.Index, m.Index + m.Length, type, m.Value.Any(char.IsDigit) ? 1 : 0.6));
                }
                break;
            case AnswerType.Entity:
                foreach (Match m in Code().Matches(sentence))
                    spans.Add(new EntitySpan(m.Index, m.Index + m.Length, type, 1));
                foreach (Match m in Name().Matches(sentence))
                {
                    if (m.Index > 0 || m.Value.Contains(' ', StringComparison.Ordinal))
                        spans.Add(new EntitySpan(m.Index, m.Index + m.Length, type, 0.5));
                }
                break;
            case AnswerType.Person or AnswerType.Place:
                if (type == AnswerType.Place)
                {
                    foreach (Match m in Direction().Matches(sentence))
                        spans.Add(new EntitySpan(m.Index, m.Index + m.Length, type, 1));
                }
                foreach (Match m in Name().Matches(sentence))
                {
                    if (m.Index == 0 && !m.Value.Contains(' ', StringComparison.Ordinal) && !m.Value.Contains('-', StringComparison.Ordinal))
                        continue; // a capital at the start of a sentence says nothing
                    var before = sentence[Math.Max(0, m.Index - 60)..m.Index];
                    // A person is a first and a last name, or one name right after a title ("le président Rohani");
                    // "au président ou au Conseil" does not make the Council a person.
                    var fullName = m.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => char.IsUpper(w[0])) >= 2;
                    var cue = type == AnswerType.Place
                        ? PlaceBefore().IsMatch(before) ? 1 : 0.4
                        : TitleBefore().IsMatch(before) || fullName && PersonBefore().IsMatch(before) ? 1 : fullName ? 0.7 : 0.3;
                    var start = type == AnswerType.Place && PlaceKind().Match(before) is { Success: true } kind ? m.Index - (before.Length - kind.Index) : m.Index;
                    spans.Add(new EntitySpan(start, m.Index + m.Length, type, cue));
                }
                break;
        }
        return spans;
    }

    /// <summary>
    /// The span without the leading words the question already says: "Défense Sergueï Choïgou" answers "le ministre
    /// … de la Défense ?" with "Sergueï Choïgou".
    /// </summary>
    public static string WithoutQuestionWords(string span, IReadOnlySet<string> questionWords)
    {
        var words = span.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (words.Count > 1 && questionWords.Contains(TextFolding.Fold(words[0]).Trim('\'', '’')))
            words.RemoveAt(0);
        return string.Join(' ', words);
    }

    /// <summary>Whether <paramref name="span"/>'s words all appear in the question: then it is not what is asked.</summary>
    public static bool InQuestion(string span, IReadOnlySet<string> questionWords)
    {
        var words = TextAnalyzer.Shared.Tokenize(span).Where(t => t.IsContent).Select(t => t.Folded).ToList();
        return words.Count > 0 && words.All(w => questionWords.Contains(w) || questionWords.Any(q => q.Length >= 5 && w.Length >= 5 && (q.StartsWith(w[..5], StringComparison.Ordinal) || EditDistance.Damerau(q, w, 1) <= 1)));
    }
}
