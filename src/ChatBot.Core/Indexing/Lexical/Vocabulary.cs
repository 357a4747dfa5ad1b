using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Every distinct folded word the index has seen, by id (from 0, never reused), as parallel arrays: the word, its term
/// under each analyser (-1 for all: a word no analyser indexes), its char 4-grams (one array for all words), how many
/// live chunks hold it, and whether it is a function word. An object per word with two arrays of its own took ~120
/// bytes before its grams; this takes ~30 (at 100k chunks, 103k words: 9 MB less).
/// </summary>
internal sealed class Vocabulary
{
    private const int Analysers = WordAnalysers.Count;

    private string[] _folded = new string[1024];
    private int[] _terms = new int[1024 * Analysers];
    private int[] _gramStart = new int[1025];
    private int[] _grams = new int[4096];
    private int[] _live = new int[1024];
    private bool[] _function = new bool[1024];

    public int Count { get; private set; }

    public int Add(string folded, ReadOnlySpan<int> terms, ReadOnlySpan<int> grams, bool function, int live = 0)
    {
        if (!terms.IsEmpty && terms.Length != Analysers)
            throw new ArgumentException($"A word has a term for each of the {Analysers} analysers, or none.", nameof(terms));
        var id = Count;
        if (id == _folded.Length)
        {
            Array.Resize(ref _folded, id * 2);
            Array.Resize(ref _terms, id * 2 * Analysers);
            Array.Resize(ref _gramStart, id * 2 + 1);
            Array.Resize(ref _live, id * 2);
            Array.Resize(ref _function, id * 2);
        }
        var start = _gramStart[id];
        if (start + grams.Length > _grams.Length)
            Array.Resize(ref _grams, Math.Max(start + grams.Length, _grams.Length * 2));
        grams.CopyTo(_grams.AsSpan(start));
        _gramStart[id + 1] = start + grams.Length;
        _folded[id] = folded;
        if (terms.IsEmpty)
            _terms.AsSpan(id * Analysers, Analysers).Fill(-1);
        else
            terms.CopyTo(_terms.AsSpan(id * Analysers));
        _live[id] = live;
        _function[id] = function;
        Count = id + 1;
        return id;
    }

    public string Folded(int id) => _folded[id];

    /// <summary>Whether some analyser indexes the word (a word of letters, not a number or a symbol).</summary>
    public bool IsIndexed(int id) => _terms[id * Analysers] >= 0;

    /// <summary>The word's term id under each analyser; empty when <see cref="IsIndexed"/> is false.</summary>
    public ReadOnlySpan<int> Terms(int id) => IsIndexed(id) ? _terms.AsSpan(id * Analysers, Analysers) : default;

    public ReadOnlySpan<int> Grams(int id) => _grams.AsSpan(_gramStart[id], _gramStart[id + 1] - _gramStart[id]);

    /// <summary>How many distinct grams the word has (a gram may occur twice in a word).</summary>
    public int DistinctGramCount(int id)
    {
        var grams = Grams(id);
        var distinct = 0;
        for (var i = 0; i < grams.Length; i++)
        {
            if (grams[..i].IndexOf(grams[i]) < 0)
                distinct++;
        }
        return distinct;
    }

    /// <summary>An indexed function word ("pendant"): counted in the statistics, kept out of the postings.</summary>
    public bool IsFunction(int id) => _function[id];

    /// <summary>How many live chunks hold the word.</summary>
    public ref int Live(int id) => ref _live[id];

    public void ClearLive() => Array.Clear(_live);

    public long Bytes => ManagedSize.ArrayOf(_folded.Length, ManagedSize.Reference) + ManagedSize.ArrayOf(_terms.Length, 4)
        + ManagedSize.ArrayOf(_gramStart.Length, 4) + ManagedSize.ArrayOf(_grams.Length, 4) + ManagedSize.ArrayOf(_live.Length, 4)
        + ManagedSize.ArrayOf(_function.Length, 1);
}
