using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>A word of the index close in spelling to a query word, with how close (Dice coefficient of their 4-grams) and its edit distance.</summary>
public readonly record struct SimilarWord(string Folded, double Similarity, int Distance, int DocumentFrequency);

public sealed partial class LexicalIndex
{
    // 4-gram → the vocabulary words that contain it: built when first asked, then kept up to date as words arrive.
    private GramWords? _gramWords;

    /// <summary>
    /// Words of the live index that share most of their character 4-grams with <paramref name="folded"/> (typos,
    /// transliterations, cognates: Dehgan/Dehghan, Shoigu/Choïgou, military/militaires), most similar first. The word
    /// itself is left out.
    /// </summary>
    public List<SimilarWord> Similar(string folded, double minSimilarity, int top, int maxDistance = int.MaxValue)
    {
        var grams = CharGrams.Of(folded).Distinct().ToList();
        if (grams.Count == 0)
            return [];
        _lock.EnterUpgradeableReadLock();
        try
        {
            var gramWords = CoverGramWords();
            var shared = new Dictionary<int, int>();
            foreach (var gram in grams)
            {
                if (!_gramIds.TryGetValue(gram, out var gramId))
                    continue;
                foreach (var word in gramWords.WordsWith(gramId))
                    shared[word] = shared.GetValueOrDefault(word) + 1;
                if (gramWords.RecentWordsWith(gramId) is { } recent)
                {
                    foreach (var word in recent)
                        shared[word] = shared.GetValueOrDefault(word) + 1;
                }
            }
            var result = new List<SimilarWord>();
            foreach (var (wordId, count) in shared)
            {
                var word = _words.Folded(wordId);
                if (_words.Live(wordId) == 0 || word == folded)
                    continue;
                var dice = 2.0 * count / (grams.Count + _words.DistinctGramCount(wordId));
                if (dice < minSimilarity)
                    continue;
                var distance = EditDistance.Damerau(folded, word, Math.Min(maxDistance, 8));
                if (distance > maxDistance)
                    continue;
                result.Add(new SimilarWord(word, dice, distance, _words.Live(wordId)));
            }
            return result.OrderByDescending(r => r.Similarity).ThenBy(r => r.Distance).ThenByDescending(r => r.DocumentFrequency).Take(top).ToList();
        }
        finally { _lock.ExitUpgradeableReadLock(); }
    }

    /// <summary>
    /// Builds the table of words by gram that spelling suggestions read, ahead of the first question that needs one:
    /// at a million chunks, building it took the first question that needed it 0.33 s (26 ms now). Searches go on meanwhile.
    /// </summary>
    public void PrepareSimilar()
    {
        _lock.EnterUpgradeableReadLock();
        try { _ = CoverGramWords(); }
        finally { _lock.ExitUpgradeableReadLock(); }
    }

    /// <summary>
    /// Brings the words-by-gram table up to the vocabulary; the caller holds the upgradeable read lock, so no word
    /// arrives meanwhile and no other caller builds. A rebuild is computed while searches go on; only installing it,
    /// or folding in a few new words, takes the write lock.
    /// </summary>
    private GramWords CoverGramWords()
    {
        if (_gramWords is { } current && current.Covered >= _words.Count)
            return current;
        var rebuilt = _gramWords is null || _gramWords.NeedsRebuild(_words) ? GramWords.Build(_words) : null;
        _lock.EnterWriteLock();
        try
        {
            if (rebuilt is not null)
                _gramWords = rebuilt;
            else
                _gramWords!.Cover(_words);
            return _gramWords;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>
    /// Each gram's words, compact: the words of the vocabulary as it was at the last rebuild in one array, by gram
    /// (<c>Start[g]</c> to <c>Start[g + 1]</c>), and the words that arrived since in a small dictionary, folded into the
    /// array once they are an eighth of it. A list per gram cost ~13 MB at 100k chunks (an object, an array with its
    /// slack and a dictionary entry for each of 100k grams); the array holds 4 bytes a (word, gram) pair.
    /// Function words are left out: never what a mistyped content word meant.
    /// </summary>
    private sealed class GramWords
    {
        private int[] _start = [0];
        private int[] _words = [];
        private int _built;
        private Dictionary<int, List<int>> _recent = [];

        /// <summary>The vocabulary words (by id, from 0) that <see cref="WordsWith"/> and <see cref="RecentWordsWith"/> cover.</summary>
        public int Covered { get; private set; }

        public ReadOnlySpan<int> WordsWith(int gram) =>
            gram + 1 < _start.Length ? _words.AsSpan(_start[gram], _start[gram + 1] - _start[gram]) : default;

        public List<int>? RecentWordsWith(int gram) => _recent.GetValueOrDefault(gram);

        /// <summary>Whether so many words arrived since the last build that building again beats adding them one by one.</summary>
        public bool NeedsRebuild(Vocabulary vocabulary) => vocabulary.Count - _built > Math.Max(1024, _built / 8);

        /// <summary>Adds the words that arrived since (a few: see <see cref="NeedsRebuild"/>).</summary>
        public void Cover(Vocabulary vocabulary)
        {
            for (var id = Covered; id < vocabulary.Count; id++)
            {
                var grams = vocabulary.Grams(id);
                for (var i = 0; i < grams.Length; i++)
                {
                    if (!IsFirst(vocabulary, id, grams, i))
                        continue;
                    if (!_recent.TryGetValue(grams[i], out var words))
                        _recent[grams[i]] = words = [];
                    words.Add(id);
                }
            }
            Covered = vocabulary.Count;
        }

        public static GramWords Build(Vocabulary vocabulary)
        {
            var built = new GramWords();
            built.Rebuild(vocabulary);
            return built;
        }

        private void Rebuild(Vocabulary vocabulary)
        {
            var grams = 0;
            for (var id = 0; id < vocabulary.Count; id++)
            {
                foreach (var gram in vocabulary.Grams(id))
                    grams = Math.Max(grams, gram + 1);
            }
            var start = new int[grams + 1];
            for (var id = 0; id < vocabulary.Count; id++)
            {
                var wordGrams = vocabulary.Grams(id);
                for (var i = 0; i < wordGrams.Length; i++)
                {
                    if (IsFirst(vocabulary, id, wordGrams, i))
                        start[wordGrams[i] + 1]++;
                }
            }
            for (var g = 0; g < grams; g++)
                start[g + 1] += start[g];
            var words = new int[start[grams]];
            var next = start[..grams];
            for (var id = 0; id < vocabulary.Count; id++)
            {
                var wordGrams = vocabulary.Grams(id);
                for (var i = 0; i < wordGrams.Length; i++)
                {
                    if (IsFirst(vocabulary, id, wordGrams, i))
                        words[next[wordGrams[i]]++] = id;
                }
            }
            (_start, _words, _recent) = (start, words, []);
            _built = Covered = vocabulary.Count;
        }

        /// <summary>
        /// Whether the word's gram at <paramref name="i"/> is its first of that gram (a word counts once under each of
        /// its grams) and the word may be suggested at all (an indexed word). No allocation: this runs for every word
        /// of the vocabulary (a LINQ <c>Distinct</c> per word made the first suggestion at 1M chunks take 0.33 s; 26 ms without).
        /// </summary>
        private static bool IsFirst(Vocabulary vocabulary, int id, ReadOnlySpan<int> grams, int i) =>
            vocabulary.IsIndexed(id) && grams[..i].IndexOf(grams[i]) < 0;

        public long Bytes => ManagedSize.ArrayOf(_start.Length, 4) + ManagedSize.ArrayOf(_words.Length, 4)
            + ManagedSize.DictionaryOf(_recent.Count, ManagedSize.Reference, 4) + _recent.Values.Sum(w => ManagedSize.Instance(ManagedSize.Reference + 8) + ManagedSize.ArrayOf(w.Capacity, 4));
    }
}
