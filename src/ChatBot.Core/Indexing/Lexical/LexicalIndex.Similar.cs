using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>A word of the index close in spelling to a query word, with how close (Dice coefficient of their 4-grams) and its edit distance.</summary>
public readonly record struct SimilarWord(string Folded, double Similarity, int Distance, int DocumentFrequency);

public sealed partial class LexicalIndex
{
    // 4-gram → the vocabulary words that contain it: built when first asked, then kept up to date as words arrive.
    private Dictionary<int, List<int>>? _gramWords;
    private int _gramWordsCovered;

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
            if (_gramWords is null || _gramWordsCovered < _words.Count)
            {
                _lock.EnterWriteLock();
                try { IndexGramWords(); }
                finally { _lock.ExitWriteLock(); }
            }
            var shared = new Dictionary<int, int>();
            foreach (var gram in grams)
            {
                if (!_gramIds.TryGetValue(gram, out var gramId) || !_gramWords!.TryGetValue(gramId, out var words))
                    continue;
                foreach (var word in words)
                    shared[word] = shared.GetValueOrDefault(word) + 1;
            }
            var result = new List<SimilarWord>();
            foreach (var (wordId, count) in shared)
            {
                var word = _words[wordId];
                if (word.Live == 0 || word.Folded == folded)
                    continue;
                var dice = 2.0 * count / (grams.Count + word.Grams.Distinct().Count());
                if (dice < minSimilarity)
                    continue;
                var distance = EditDistance.Damerau(folded, word.Folded, Math.Min(maxDistance, 8));
                if (distance > maxDistance)
                    continue;
                result.Add(new SimilarWord(word.Folded, dice, distance, word.Live));
            }
            return result.OrderByDescending(r => r.Similarity).ThenBy(r => r.Distance).ThenByDescending(r => r.DocumentFrequency).Take(top).ToList();
        }
        finally { _lock.ExitUpgradeableReadLock(); }
    }

    private void IndexGramWords()
    {
        _gramWords ??= [];
        for (var id = _gramWordsCovered; id < _words.Count; id++)
        {
            if (_words[id].Terms is null)
                continue; // a function word is never what a mistyped content word meant
            foreach (var gram in _words[id].Grams.Distinct())
            {
                if (!_gramWords.TryGetValue(gram, out var words))
                    _gramWords[gram] = words = [];
                words.Add(id);
            }
        }
        _gramWordsCovered = _words.Count;
    }
}
