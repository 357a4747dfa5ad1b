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
            if (_gramWords is null || _gramWords.Covered < _words.Count)
            {
                _lock.EnterWriteLock();
                try { (_gramWords ??= new GramWords()).Cover(_words); }
                finally { _lock.ExitWriteLock(); }
            }
            var shared = new Dictionary<int, int>();
            foreach (var gram in grams)
            {
                if (!_gramIds.TryGetValue(gram, out var gramId))
                    continue;
                foreach (var word in _gramWords.WordsWith(gramId))
                    shared[word] = shared.GetValueOrDefault(word) + 1;
                if (_gramWords.RecentWordsWith(gramId) is { } recent)
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

        public void Cover(Vocabulary vocabulary)
        {
            if (vocabulary.Count - _built > Math.Max(1024, _built / 8))
            {
                Rebuild(vocabulary);
                return;
            }
            for (var id = Covered; id < vocabulary.Count; id++)
            {
                foreach (var gram in DistinctGrams(vocabulary, id))
                {
                    if (!_recent.TryGetValue(gram, out var words))
                        _recent[gram] = words = [];
                    words.Add(id);
                }
            }
            Covered = vocabulary.Count;
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
                foreach (var gram in DistinctGrams(vocabulary, id))
                    start[gram + 1]++;
            }
            for (var g = 0; g < grams; g++)
                start[g + 1] += start[g];
            var words = new int[start[grams]];
            var next = start[..grams];
            for (var id = 0; id < vocabulary.Count; id++)
            {
                foreach (var gram in DistinctGrams(vocabulary, id))
                    words[next[gram]++] = id;
            }
            (_start, _words, _recent) = (start, words, []);
            _built = Covered = vocabulary.Count;
        }

        private static IEnumerable<int> DistinctGrams(Vocabulary vocabulary, int id) => vocabulary.IsIndexed(id) ? vocabulary.Grams(id).ToArray().Distinct() : [];

        public long Bytes => ManagedSize.ArrayOf(_start.Length, 4) + ManagedSize.ArrayOf(_words.Length, 4)
            + ManagedSize.DictionaryOf(_recent.Count, ManagedSize.Reference, 4) + _recent.Values.Sum(w => ManagedSize.Instance(ManagedSize.Reference + 8) + ManagedSize.ArrayOf(w.Capacity, 4));
    }
}
