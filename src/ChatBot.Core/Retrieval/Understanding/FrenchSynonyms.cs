using System.Collections.Concurrent;
using System.Collections.Frozen;
using ChatBot.Core.Foundation.Hosting;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// French synonyms from LibreOffice's thesaurus (<c>Resources/synonyms-fr.tsv</c>, built by
/// <c>tools/lexicon/build_synonyms.py</c>), looked up by Snowball stem: "soupçonné" finds "suspecté". Only the decline
/// test reads them: a question's word whose synonym the passage holds is evidence that the passage speaks of it (a
/// paraphrase), measured on PIAF's holes (<c>eval --unanswerable</c>). Loading stems the 35k headwords (~0.4 s, in
/// the background while the index opens: <see cref="ReadAhead"/>); a headword's synonyms are stemmed the first time a
/// question asks for them.
/// </summary>
public sealed class FrenchSynonyms
{
    private static readonly Lazy<FrenchSynonyms> Shipped = new(() => Load(EmbeddedData.Lines("synonyms-fr.tsv"), WordAnalysers.Shared));

    private readonly FrozenDictionary<string, string> _byStem;
    private readonly WordAnalysers _analysers;
    private readonly ConcurrentDictionary<string, string[]> _stems = new(StringComparer.Ordinal);

    private FrenchSynonyms(FrozenDictionary<string, string> byStem, WordAnalysers analysers) => (_byStem, _analysers) = (byStem, analysers);

    /// <summary>The shipped list, read once per process on first use (which waits for a load <see cref="ReadAhead"/> started).</summary>
    public static FrenchSynonyms Default => Shipped.Value;

    /// <summary>Reads the shipped list while the index opens (0.4 s, the largest part of the first question's wait before), so that no question waits for it.</summary>
    public sealed class ReadAhead : IStartupWarmUp
    {
        void IStartupWarmUp.WarmUp() => _ = Shipped.Value;
    }

    /// <summary>Headwords (by stem) that have synonyms.</summary>
    public int Count => _byStem.Count;

    /// <summary>The Snowball stems of the synonyms of a word with this Snowball stem (none when it has none).</summary>
    public IReadOnlyList<string> Of(string snowballStem)
    {
        if (!_byStem.TryGetValue(snowballStem, out var words))
            return [];
        return _stems.GetOrAdd(snowballStem, static (stem, state) => state.words.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(w => state.self._analysers.SnowballStem(TextFolding.Fold(w)))
            .Where(s => s != stem)
            .Distinct(StringComparer.Ordinal)
            .ToArray(), (self: this, words));
    }

    /// <summary>
    /// What the thesaurus holds: the headwords with their synonyms as one string each, and the stems of those asked
    /// for so far (a frozen dictionary is counted as a dictionary of the same size).
    /// </summary>
    public IReadOnlyList<MemoryPart> Footprint() =>
    [
        new("thesaurus fr (headwords, synonyms)", ManagedSize.DictionaryOf(_byStem.Count, ManagedSize.Reference, ManagedSize.Reference)
            + _byStem.Sum(p => ManagedSize.Text(p.Key.Length) + ManagedSize.Text(p.Value.Length))),
        new("thesaurus fr (stems asked for)", ManagedSize.DictionaryOf(_stems.Count, ManagedSize.Reference, ManagedSize.Reference)
            + _stems.Sum(p => ManagedSize.ArrayOf(p.Value.Length, ManagedSize.Reference) + p.Value.Sum(s => ManagedSize.Text(s.Length)))),
    ];

    /// <summary>Reads lines <c>word&lt;TAB&gt;synonym synonym …</c> (a line without a tab is skipped), keyed by the headword's stem.</summary>
    public static FrenchSynonyms Load(IEnumerable<string> lines, WordAnalysers analysers)
    {
        // A headword's synonyms stay one string until asked for: 400k words as separate strings would cost ~20 MB.
        var byStem = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
                continue;
            var head = analysers.SnowballStem(TextFolding.Fold(line[..tab].Trim()));
            var words = line[(tab + 1)..];
            byStem[head] = byStem.TryGetValue(head, out var earlier) ? earlier + " " + words : words;
        }
        return new FrenchSynonyms(byStem.ToFrozenDictionary(StringComparer.Ordinal), analysers);
    }
}
