using System.Collections.Frozen;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// English → French word equivalents for English questions over a French corpus: FreeDict's dictionaries
/// (<c>Resources/lexicon-en-fr.tsv</c>, built by <c>tools/lexicon/build_lexicon.py</c>) and the project's own news
/// glossary (<c>Resources/glossary-en-fr.tsv</c>), looked up after English inflections are reduced ("died" → "die",
/// "strikes" → "strike", "took" → "take"). Translations are folded; a multi-word one keeps its content words.
/// </summary>
public sealed class EnglishLexicon
{
    private readonly FrozenDictionary<string, string[]> _entries;
    private readonly FrozenDictionary<string, string> _irregular;
    private readonly FrozenSet<string> _phrases;

    private EnglishLexicon(FrozenDictionary<string, string[]> entries, FrozenDictionary<string, string> irregular, FrozenSet<string> phrases)
    {
        _entries = entries;
        _irregular = irregular;
        _phrases = phrases;
    }

    public static EnglishLexicon Default { get; } = Load();

    public int Count => _entries.Count;

    /// <summary>The French equivalents of an English word (folded, glossary first), through its base forms; empty when unknown.</summary>
    public IReadOnlyList<string> Translate(string foldedWord)
    {
        var result = new List<string>();
        foreach (var form in BaseForms(foldedWord))
        {
            if (_entries.TryGetValue(form, out var french))
                result.AddRange(french.Where(f => !result.Contains(f)));
        }
        return result;
    }

    /// <summary>
    /// Whether the project's glossary has this (folded) two-word phrase ("take off", "air base"). The general
    /// dictionary's phrases are not used: "deal with" is a verb there, a deal with Turkey in a question.
    /// </summary>
    public bool KnowsPhrase(string folded) => _phrases.Contains(folded);

    /// <summary>The word and the base forms its English inflections may come from, most likely first.</summary>
    public IEnumerable<string> BaseForms(string word)
    {
        yield return word;
        if (_irregular.TryGetValue(word, out var irregular))
            yield return irregular;
        if (word.Length <= 3)
            yield break;
        if (word.EndsWith("ies", StringComparison.Ordinal))
            yield return word[..^3] + "y";
        if (word.EndsWith("ied", StringComparison.Ordinal))
            yield return word[..^3] + "y";
        if (word.EndsWith("es", StringComparison.Ordinal))
            yield return word[..^2];
        if (word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal))
            yield return word[..^1];
        if (word.EndsWith("ed", StringComparison.Ordinal))
        {
            yield return word[..^2];
            yield return word[..^1];
            if (word.Length > 5 && word[^3] == word[^4])
                yield return word[..^3]; // stopped → stop
        }
        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            yield return word[..^3];
            yield return word[..^3] + "e";
            if (word[^4] == word[^5])
                yield return word[..^4]; // running → run
        }
        if (word.EndsWith("'s", StringComparison.Ordinal))
            yield return word[..^2];
    }

    /// <summary>What the English–French lexicon holds: its entries with their French words, irregular forms, glossary phrases.</summary>
    public IReadOnlyList<MemoryPart> Footprint() =>
    [
        new("lexicon en-fr", ManagedSize.DictionaryOf(_entries.Count, ManagedSize.Reference, ManagedSize.Reference)
            + _entries.Sum(p => ManagedSize.Text(p.Key.Length) + ManagedSize.ArrayOf(p.Value.Length, ManagedSize.Reference) + p.Value.Sum(v => ManagedSize.Text(v.Length)))
            + ManagedSize.DictionaryOf(_irregular.Count, ManagedSize.Reference, ManagedSize.Reference) + _irregular.Sum(p => ManagedSize.Text(p.Key.Length) + ManagedSize.Text(p.Value.Length))
            + ManagedSize.DictionaryOf(_phrases.Count, ManagedSize.Reference, 0) + _phrases.Sum(p => ManagedSize.Text(p.Length))),
    ];

    private static EnglishLexicon Load()
    {
        var entries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var phrases = new HashSet<string>(StringComparer.Ordinal);
        // The project's glossary first: news senses before a general dictionary's first sense ("strike" → frappe).
        foreach (var file in new[] { "glossary-en-fr.tsv", "lexicon-en-fr.tsv" })
        {
            foreach (var line in EmbeddedData.Lines(file))
            {
                var parts = line.Split('\t', 2);
                if (parts.Length != 2)
                    continue;
                var english = TextFolding.Fold(parts[0].Trim());
                if (file.StartsWith("glossary", StringComparison.Ordinal) && english.Contains(' ', StringComparison.Ordinal))
                    phrases.Add(english);
                if (!entries.TryGetValue(english, out var list))
                    entries[english] = list = [];
                foreach (var french in parts[1].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var folded = TextFolding.Fold(french);
                    if (!list.Contains(folded))
                        list.Add(folded);
                }
            }
        }
        var irregular = EmbeddedData.Lines("english-irregular.tsv")
            .Select(l => l.Split('\t'))
            .Where(p => p.Length == 2)
            .DistinctBy(p => p[0])
            .ToFrozenDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        return new EnglishLexicon(entries.ToFrozenDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal), irregular, phrases.ToFrozenSet(StringComparer.Ordinal));
    }
}
