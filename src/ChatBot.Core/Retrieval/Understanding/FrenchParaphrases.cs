using System.Collections.Frozen;
using ChatBot.Core.Indexing;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// How news questions and articles say the same thing in other words (<c>Resources/paraphrases-fr.tsv</c>: "bombarder",
/// "frappes", "raids", "campagne aérienne"; "rencontré", "reçu"; "fâché", "dénonçait"). A word is looked up by its
/// <see cref="Key"/>, the first six letters of its light stem, so that every inflection finds its group ("bombardent",
/// "bombardement"; "fâchée", "fâché"), which neither stemmer does for verbs. The evidence test and the choice of a
/// sentence read them (<see cref="Retrieval.TextWords"/>); retrieval expands a question's words with them at a lower
/// weight (<see cref="Query.Expansions"/>).
/// </summary>
public sealed class FrenchParaphrases
{
    private const int KeyLength = 6;

    private readonly FrozenDictionary<string, string[]> _words;
    private readonly FrozenDictionary<string, string[]> _phrases;

    private FrenchParaphrases(FrozenDictionary<string, string[]> words, FrozenDictionary<string, string[]> phrases) => (_words, _phrases) = (words, phrases);

    public static FrenchParaphrases Default { get; } = Load(EmbeddedData.Lines("paraphrases-fr.tsv"), WordAnalysers.Shared);

    /// <summary>The family key of a folded word: the first six letters of its light stem.</summary>
    public static string Key(string folded, WordAnalysers analysers)
    {
        var stem = analysers.Terms(folded)?[(int)TermAnalyser.Light] ?? folded;
        return stem.Length > KeyLength ? stem[..KeyLength] : stem;
    }

    /// <summary>The folded paraphrases of a folded word (none when it has none), without the word's own family.</summary>
    public IReadOnlyList<string> Of(string folded, WordAnalysers analysers) =>
        _words.TryGetValue(Key(folded, analysers), out var words) ? words : [];

    /// <summary>The phrases (folded, words separated by spaces) that paraphrase a folded word: "campagne aerienne" for "bombardent".</summary>
    public IReadOnlyList<string> PhrasesOf(string folded, WordAnalysers analysers) =>
        _phrases.TryGetValue(Key(folded, analysers), out var phrases) ? phrases : [];

    /// <summary>Reads one group a line, words separated by spaces, a phrase's words joined by "_".</summary>
    public static FrenchParaphrases Load(IEnumerable<string> lines, WordAnalysers analysers)
    {
        var words = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var phrases = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var group = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(TextFolding.Fold).Distinct().ToList();
            var single = group.Where(w => !w.Contains('_', StringComparison.Ordinal)).ToList();
            var joined = group.Where(w => w.Contains('_', StringComparison.Ordinal)).Select(w => w.Replace('_', ' ')).ToList();
            foreach (var word in single)
            {
                var key = Key(word, analysers);
                Add(words, key, single.Where(w => Key(w, analysers) != key));
                Add(phrases, key, joined);
            }
        }
        return new FrenchParaphrases(Freeze(words), Freeze(phrases));
    }

    /// <summary>What the paraphrase lists hold: single words and phrases, each with its alternatives.</summary>
    public IReadOnlyList<MemoryPart> Footprint() => [new("paraphrases fr", Bytes(_words) + Bytes(_phrases))];

    private static long Bytes(FrozenDictionary<string, string[]> map) =>
        ManagedSize.DictionaryOf(map.Count, ManagedSize.Reference, ManagedSize.Reference)
        + map.Sum(p => ManagedSize.Text(p.Key.Length) + ManagedSize.ArrayOf(p.Value.Length, ManagedSize.Reference) + p.Value.Sum(v => ManagedSize.Text(v.Length)));

    private static void Add(Dictionary<string, HashSet<string>> map, string key, IEnumerable<string> values)
    {
        if (!map.TryGetValue(key, out var set))
            map[key] = set = new HashSet<string>(StringComparer.Ordinal);
        set.UnionWith(values);
    }

    private static FrozenDictionary<string, string[]> Freeze(Dictionary<string, HashSet<string>> map) =>
        map.Where(p => p.Value.Count > 0).ToFrozenDictionary(p => p.Key, p => p.Value.Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
}
