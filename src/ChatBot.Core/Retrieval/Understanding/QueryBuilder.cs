using System.Collections.Frozen;
using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// Reads a chat message as a question, offline: chat noise and filler out, chat spellings expanded, the language and
/// the kind of answer wanted, then one concept per content word. A word the index does not know is matched to index
/// words within an edit or two (typos, transliterations: Dehgan → Dehghan, Shoigu → Choïgou); an English word goes
/// through the English–French lexicon and through the index words it closely resembles (cognates: military →
/// militaires, Tehran → Téhéran). Only words of the index are searched for; a concept none of whose forms is in the
/// index stays, unknown, so that the evidence test can see the question asks about something the corpus lacks.
/// </summary>
public sealed partial class QueryBuilder(TextAnalyzer analyzer, FillerPhrases filler, EnglishLexicon lexicon)
{
    private const int MaxTranslations = 6;
    private const int MaxCorrections = 3;
    private const int MaxExpansions = 6;

    /// <summary>Nationality adjectives by light stem, with their place: constraints of a question as much as names are.</summary>
    private static readonly FrozenDictionary<string, string> Demonyms = EmbeddedData.Words("demonyms-fr.txt")
        .Select(w => w.Split('='))
        .Where(p => p.Length == 2 && TextAnalyzer.Shared.TermOf(TextFolding.Fold(p[0])) is not null)
        .DistinctBy(p => TextAnalyzer.Shared.TermOf(TextFolding.Fold(p[0])))
        .ToFrozenDictionary(p => TextAnalyzer.Shared.TermOf(TextFolding.Fold(p[0]))!, p => TextFolding.Fold(p[1]), StringComparer.Ordinal);

    private static readonly FrozenSet<string> Frames = EmbeddedData.Words("question-frames-fr.txt").Select(TextFolding.Fold).ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, string> Abbreviations = EmbeddedData.Lines("chat-abbreviations.tsv")
        .Select(l => l.Split('\t'))
        .Where(p => p.Length == 2)
        .ToFrozenDictionary(p => TextFolding.Fold(p[0]), p => p[1], StringComparer.Ordinal);

    [GeneratedRegex(@"[\p{L}\p{N}']+")]
    private static partial Regex Word();

    /// <summary>"20ème", "XIXe", "2011et": a number glued to an ordinal ending or to "et"/"and".</summary>
    [GeneratedRegex(@"\b(\d+)(ème|eme|ième|ieme|e|er|ère|re|et|and)\b", RegexOptions.IgnoreCase)]
    private static partial Regex GluedNumber();

    public static QueryBuilder Default { get; } = new(TextAnalyzer.Shared, FillerPhrases.Default, EnglishLexicon.Default);

    /// <summary>The question understood against <paramref name="index"/> (null: no spelling correction or cognates).</summary>
    public Query Build(string question, LexicalIndex? index = null)
    {
        var cleaned = GluedNumber().Replace(ExpandAbbreviations(ChatText.Clean(question)), "$1 $2");
        var content = filler.Strip(cleaned);
        var language = LanguageDetector.Detect(content.Length > 0 ? content : cleaned);
        var answerType = AnswerTypes.Of(content);

        var concepts = new List<QueryConcept>();
        var frames = new List<string>();
        var searched = new List<QueryConcept>(); // concepts and function words in the question's order
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tokens = analyzer.Tokenize(content).ToList();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var isName = i > 0 && char.IsUpper(token.Surface[0]) || token.Surface.Length > 1 && token.Surface.All(c => char.IsUpper(c) || char.IsDigit(c)) && token.Surface.Any(char.IsLetter)
                || token.Term is not null && Demonyms.ContainsKey(token.Term)
                || IsYear(token.Folded);
            if (language == Language.English && i + 1 < tokens.Count && Phrase(token, tokens[i + 1], index) is { } phrase)
            {
                // "took off", "air base": an English phrase the lexicon knows is one concept ("décoller").
                concepts.Add(phrase);
                searched.Add(phrase);
                seen.Add(token.Folded);
                seen.Add(tokens[i + 1].Folded);
                i++;
                continue;
            }
            if (token.Term is null || !seen.Add(token.Folded))
                continue;
            if (token.Function)
            {
                // "pendant", "contre": read by the reranker (BM25 weighs them by rarity), never the question's topic.
                searched.Add(new QueryConcept(token.Surface, token.Folded, [new LexicalAlternative(token.Folded, 1f)]) { Known = true });
                continue;
            }
            if (index is not null && IsMistypedFunctionWord(token.Folded, index))
                continue; // "qaund", "quell": a question word mistyped, not a word the corpus lacks
            if (Frames.Contains(token.Folded))
            {
                frames.Add(token.Folded);
                continue;
            }
            var concept = Concept(token, isName, language, index);
            // "anglais" is held by a passage that says "Angleterre": the place counts as a form of its adjective.
            if (token.Term is not null && Demonyms.TryGetValue(token.Term, out var place) && !concept.Alternatives.Any(a => a.Folded == place))
                concept = concept with { Alternatives = [.. concept.Alternatives, new LexicalAlternative(place, 0.8f)] };
            concepts.Add(concept);
            searched.Add(concept);
        }
        // A question made only of frame words ("Quel nom ?") keeps them: they are all it says.
        if (concepts.Count == 0 && frames.Count > 0)
        {
            searched.InsertRange(0, frames.Select(f => new QueryConcept(f, f, [new LexicalAlternative(f, 1f)]) { Known = index is null || index.WordFrequency(f) > 0 }));
            concepts.AddRange(searched.Take(frames.Count));
        }
        return new Query(question, content, language, answerType, concepts)
        {
            Ask = AskOf(content, answerType, concepts),
            Expansions = language == Language.French && index is not null ? Expansions(concepts, index) : [],
            Frames = concepts.Count > 0 && frames.Count > 0 && concepts[0].Folded != frames[0] ? frames : [],
            // As written, the words of a French question are the corpus's words; an English question's are not.
            Words = concepts.Count > 0 && language == Language.French ? tokens.Select(t => t.Folded).Where(w => w.Length > 1).Distinct(StringComparer.Ordinal).ToList() : [],
            Searched = concepts.Count > 0 ? searched : [],
        };
    }

    /// <summary>The paraphrases the index holds of each of the question's words other than its names (at most six a word).</summary>
    private static List<LexicalConcept> Expansions(List<QueryConcept> concepts, LexicalIndex index)
    {
        var expansions = new List<LexicalConcept>();
        foreach (var concept in concepts.Where(c => !c.IsName))
        {
            // A phrase's words first ("campagne aérienne" says "bombarder" more surely than a word of the same family),
            // then the rarest words of the group.
            var words = FrenchParaphrases.Default.PhrasesOf(concept.Folded, index.Analysers).SelectMany(p => p.Split(' ')).Where(w => w.Length > 3)
                .Concat(FrenchParaphrases.Default.Of(concept.Folded, index.Analysers).Where(w => Known(index, w)).OrderBy(w => index.DocumentFrequency(w)))
                .Distinct(StringComparer.Ordinal)
                .Where(w => concept.Alternatives.All(a => a.Folded != w) && Known(index, w))
                .Take(MaxExpansions)
                .Select(w => new LexicalAlternative(w, 1f))
                .ToList();
            if (words.Count > 0)
                expansions.Add(new LexicalConcept(words, Query.ExpansionWeight));
        }
        return expansions;
    }

    /// <summary>
    /// The family of <c>asks.tsv</c> the question asks, and for "combien de X" the forms of X (an English X by its
    /// French words): a number must be attached to one of them.
    /// </summary>
    private static QuestionAsk AskOf(string content, AnswerType answerType, List<QueryConcept> concepts)
    {
        var family = answerType is AnswerType.ArticleDate or AnswerType.ArticleSource ? null : QuestionAsks.FamilyOf(content, answerType);
        var counted = answerType == AnswerType.Number ? QuestionAsks.CountedNounOf(content) : null;
        List<string> forms = [];
        if (counted is not null)
        {
            var concept = concepts.FirstOrDefault(c => c.Folded == counted);
            forms = (concept?.Alternatives.Where(a => a.Weight >= 0.5f).Select(a => a.Folded) ?? []).Append(counted).Distinct(StringComparer.Ordinal).ToList();
        }
        return family is null && forms.Count == 0 ? QuestionAsk.None : new QuestionAsk(family, forms);
    }

    private QueryConcept Concept(Token token, bool isName, Language language, LexicalIndex? index)
    {
        var folded = token.Folded;
        var alternatives = new List<LexicalAlternative>();
        var own = index is null || Known(index, folded);
        if (language == Language.English)
        {
            // English names too: "Russian" → russe, "Putin" → Poutine, "Tehran" → Téhéran.
            if (index is not null && index.WordFrequency(folded) > 0)
                alternatives.Add(new LexicalAlternative(folded, 1f));
            AddTranslations(folded, index, alternatives);
            AddCognates(folded, index, alternatives);
            if (isName && index is not null && alternatives.Count == 0)
                alternatives.AddRange(Corrections(folded, isName, index));
            var known = index is null || alternatives.Any(a => Known(index, a.Folded));
            if (!alternatives.Any(a => a.Folded == folded))
                alternatives.Insert(0, new LexicalAlternative(folded, known ? 0.3f : 1f));
            return new QueryConcept(token.Surface, folded, alternatives) { IsName = isName, Known = known, Translated = true };
        }
        alternatives.Add(new LexicalAlternative(folded, 1f));
        if (!own && index is not null)
        {
            foreach (var correction in Corrections(folded, isName, index))
                alternatives.Add(correction);
            if (language == Language.English)
                AddCognates(folded, index, alternatives); // an English name: Tehran → Téhéran, Putin → Poutine
        }
        return new QueryConcept(token.Surface, folded, alternatives) { IsName = isName, Known = own || alternatives.Count > 1 };
    }

    /// <summary>Two English words the lexicon knows together ("took off" → "take off" → décoller), as one concept.</summary>
    private QueryConcept? Phrase(Token first, Token second, LexicalIndex? index)
    {
        if (second.Surface.Length < 2 || !char.IsLetter(first.Surface[0]) || !char.IsLetter(second.Surface[0]))
            return null;
        foreach (var head in lexicon.BaseForms(first.Folded).Distinct())
        {
            var phrase = head + " " + second.Folded;
            if (!lexicon.KnowsPhrase(phrase))
                continue;
            var alternatives = new List<LexicalAlternative>();
            AddTranslations(phrase, index, alternatives);
            if (alternatives.Count == 0)
                continue;
            return new QueryConcept(first.Surface + " " + second.Surface, phrase, alternatives) { Known = true, Translated = true };
        }
        return null;
    }

    /// <summary>Index words one edit away (two for long words and names): what a typo or a transliteration changed.</summary>
    private static IEnumerable<LexicalAlternative> Corrections(string folded, bool isName, LexicalIndex index)
    {
        if (folded.Length < 4 || !char.IsLetter(folded[0]))
            return [];
        // Two edits only for a transliteration (same consonants: Shoigu/Choïgou, Dehgan/Dehghan): "Paris" is not "parties".
        var similar = index.Similar(folded, 0.15, 50, folded.Length >= 5 ? 2 : 1)
            .Where(s => s.Distance <= 1 || SameSkeleton(folded, s.Folded))
            .ToList();
        if (similar.Count == 0)
            return [];
        var best = similar.Min(s => s.Distance);
        return similar.Where(s => s.Distance == best)
            .OrderByDescending(s => s.Similarity).ThenByDescending(s => s.DocumentFrequency)
            .Take(MaxCorrections)
            .Select(s => new LexicalAlternative(s.Folded, best == 1 ? 0.9f : 0.75f));
    }

    private void AddTranslations(string folded, LexicalIndex? index, List<LexicalAlternative> alternatives)
    {
        var added = 0;
        foreach (var french in lexicon.Translate(folded))
        {
            // A multi-word translation ("avion à réaction") counts by its content words.
            foreach (var word in analyzer.Tokenize(french).Where(t => t.IsContent).Select(t => t.Folded))
            {
                if (added >= MaxTranslations || alternatives.Any(a => a.Folded == word))
                    continue;
                if (index is not null && !Known(index, word))
                    continue;
                alternatives.Add(new LexicalAlternative(word, added < 2 ? 0.9f : 0.7f));
                added++;
            }
        }
    }

    /// <summary>
    /// Index words that look like the English word or its base form (cooperation/coopération, military/militaires,
    /// troops/troupes): most of an English question's content words have a French cognate in the index.
    /// </summary>
    private void AddCognates(string folded, LexicalIndex? index, List<LexicalAlternative> alternatives)
    {
        // A word the index has as it is needs no look-alikes ("position" is French too; "positives" is not it).
        if (index is null || folded.Length < 4 || !char.IsLetter(folded[0]) || index.WordFrequency(folded) > 0)
            return;
        var found = 0;
        foreach (var form in lexicon.BaseForms(folded).Distinct().Take(3))
        {
            var maxDistance = Math.Max(1, (form.Length + 1) / 3);
            foreach (var similar in index.Similar(form, 0.3, 10, maxDistance))
            {
                if (found >= MaxCorrections || alternatives.Any(a => a.Folded == similar.Folded))
                    continue;
                if (similar.Folded.Length < 4 || similar.Folded[..2] != form[..2] && similar.Distance > 1 && !SameSkeleton(form, similar.Folded))
                    continue;
                alternatives.Add(new LexicalAlternative(similar.Folded, (float)Math.Clamp(0.4 + similar.Similarity, 0.5, 0.85)));
                found++;
            }
        }
    }

    /// <summary>A year names a time the corpus must know, as a name names a thing.</summary>
    private static bool IsYear(string folded) =>
        folded.Length == 4 && (folded.StartsWith("19", StringComparison.Ordinal) || folded.StartsWith("20", StringComparison.Ordinal)) && folded.All(char.IsAsciiDigit);

    private bool IsMistypedFunctionWord(string folded, LexicalIndex index)
    {
        if (folded.Length < 4 || !char.IsLetter(folded[0]) || Known(index, folded))
            return false;
        return _longFunctionWords.Any(w => Math.Abs(w.Length - folded.Length) <= 1 && EditDistance.Damerau(w, folded, 1) <= 1);
    }

    /// <summary>The analyser's function words of four letters or more: what a mistyped question word may have meant.</summary>
    private readonly string[] _longFunctionWords = analyzer.FunctionWords.Where(w => w.Length >= 4).ToArray();

    /// <summary>The index has the word under the light stemmer or Snowball ("utilisaient" and "utilisera" share "utilis").</summary>
    public static bool Known(LexicalIndex index, string folded) =>
        index.DocumentFrequency(folded) > 0 || index.DocumentFrequency(folded, TermAnalyser.Snowball) > 0;

    /// <summary>Same consonants in the same order once vowels and h are gone (Shoigu/Choïgou keep "s/c g"): a transliteration.</summary>
    private static bool SameSkeleton(string a, string b)
    {
        static string Skeleton(string w) => new(w.Where(c => "aeiouyh".IndexOf(c, StringComparison.Ordinal) < 0).Skip(1).ToArray());
        return Skeleton(a) == Skeleton(b);
    }

    private static string ExpandAbbreviations(string text) =>
        Word().Replace(text, m => Abbreviations.TryGetValue(TextFolding.Fold(m.Value), out var expansion) ? expansion : m.Value);
}
