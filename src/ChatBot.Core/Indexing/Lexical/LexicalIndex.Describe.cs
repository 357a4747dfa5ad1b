using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>What the index knows of one query concept: its rarity and how often the collection uses it.</summary>
public sealed record ConceptStatistics(int DocumentFrequency, double Idf, double CollectionProbability);

/// <summary>A candidate chunk as the reranker sees it: per concept, its weighted term frequency under each analyser.</summary>
public sealed record ChunkStatistics(long Id, int Length, float[][] Frequencies, bool[] InTitle, int DocumentChunks, double CharGramScore, double[] CharGramByConcept, double TitleCharGramScore, double WordScore)
{
    /// <summary>The concept's weighted frequency under the light stemmer (the reference analyser).</summary>
    public float Frequency(int concept) => Frequencies[concept][(int)TermAnalyser.Light];

    /// <summary>Present under any analyser.</summary>
    public bool Contains(int concept) => Frequencies[concept].Any(f => f > 0);
}

/// <summary>The query's concept statistics and the candidates' own.</summary>
public sealed record QueryDescription(IReadOnlyList<ConceptStatistics> Concepts, IReadOnlyList<ChunkStatistics?> Chunks, int ChunkCount, double AverageLength);

public sealed partial class LexicalIndex
{
    /// <summary>
    /// Statistics for reranking <paramref name="ids"/> (null for an id no longer indexed): read from each chunk's word
    /// list, so their cost is the candidates' length, not the collection's.
    /// </summary>
    public QueryDescription Describe(LexicalQuery query, IReadOnlyList<long> ids, LexicalScoring? scoring = null)
    {
        scoring ??= LexicalScoring.Default;
        _lock.EnterReadLock();
        try
        {
            var concepts = query.Concepts.Select(ConceptTerms).ToList();
            var light = (int)TermAnalyser.Light;
            var stats = concepts.Select(c =>
            {
                var table = _tables[light];
                var df = c.Terms[light].Keys.Select(t => table.Chunks[t].Live).DefaultIfEmpty(0).Max();
                var cf = c.Terms[light].Sum(t => t.Value * table.Chunks[t.Key].CollectionFrequency);
                return new ConceptStatistics(df, Idf(_live, df), (cf + 0.5) / Math.Max(1, _liveLength + 1));
            }).ToList();

            // Each word's concept under each analyser, looked up once for the whole candidate list.
            var wordConcepts = new Dictionary<int, (int Concept, int Analyser, float Weight)[]>();
            var (queryGrams, gramConcepts) = QueryGrams(query);
            var averageGrams = Math.Max(1.0, (double)_liveGramLength / Math.Max(1, _live));
            // The question's words as written, each with its idf over chunks: BM25 on exact forms, every word counted.
            var questionWords = new Dictionary<int, double>();
            foreach (var word in query.Words)
            {
                if (_wordIds.TryGetValue(word, out var wordId) && _words.Live(wordId) > 0)
                    questionWords[wordId] = Idf(_live, _words.Live(wordId));
            }
            var averageWords = Math.Max(1.0, (double)_liveWordLength / Math.Max(1, _live));
            var chunks = new List<ChunkStatistics?>(ids.Count);
            var grams = new Dictionary<int, int>();
            var titleGrams = new Dictionary<int, int>();
            foreach (var id in ids)
            {
                if (!_slots.TryGetValue(id, out var slot))
                {
                    chunks.Add(null);
                    continue;
                }
                var frequencies = new float[concepts.Count][];
                for (var c = 0; c < frequencies.Length; c++)
                    frequencies[c] = new float[WordAnalysers.Count];
                grams.Clear();
                titleGrams.Clear();
                var allWords = 0;
                foreach (var entry in _slotWords[slot])
                    allWords += entry.Frequency;
                var wordScore = 0.0;
                foreach (var entry in _slotWords[slot])
                {
                    var (wordId, tf) = entry;
                    if (questionWords.TryGetValue(wordId, out var wordIdf))
                        wordScore += wordIdf * tf * (scoring.K1 + 1) / (tf + scoring.K1 * (1 - scoring.B + scoring.B * allWords / averageWords));
                    if (!wordConcepts.TryGetValue(wordId, out var matches))
                        wordConcepts[wordId] = matches = Matches(_words.Terms(wordId), concepts);
                    foreach (var (concept, analyser, weight) in matches)
                        frequencies[concept][analyser] += weight * tf;
                    foreach (var gram in _words.Grams(wordId))
                    {
                        if (queryGrams.ContainsKey(gram))
                            grams[gram] = grams.GetValueOrDefault(gram) + tf;
                    }
                }
                var group = _groups[_groupOf[slot]];
                var inTitle = new bool[concepts.Count];
                foreach (var entry in group.TitleWords)
                {
                    var wordId = entry.Word;
                    if (!wordConcepts.TryGetValue(wordId, out var matches))
                        wordConcepts[wordId] = matches = Matches(_words.Terms(wordId), concepts);
                    foreach (var (concept, _, _) in matches)
                        inTitle[concept] = true;
                    foreach (var gram in _words.Grams(wordId))
                    {
                        if (queryGrams.ContainsKey(gram))
                            titleGrams[gram] = titleGrams.GetValueOrDefault(gram) + 1;
                    }
                }
                var gramScore = 0.0;
                var byConcept = new double[concepts.Count];
                foreach (var (gram, tf) in grams)
                {
                    var idf = Idf(_live, _gramLive[gram]);
                    var part = idf * tf * (scoring.K1 + 1) / (tf + scoring.K1 * (1 - scoring.B + scoring.B * _gramLengths[slot] / averageGrams));
                    gramScore += queryGrams[gram] * part;
                    foreach (var (concept, weight) in gramConcepts[gram])
                        byConcept[concept] += weight * part;
                }
                var titleScore = 0.0;
                foreach (var (gram, tf) in titleGrams)
                    titleScore += queryGrams[gram] * Idf(_live, _gramLive[gram]) * tf * (scoring.K1 + 1) / (tf + scoring.K1);
                chunks.Add(new ChunkStatistics(id, _lengths[slot], frequencies, inTitle, group.LiveChunks, gramScore, byConcept, titleScore, wordScore));
            }
            return new QueryDescription(stats, chunks, _live, Math.Max(1.0, (double)_liveLength / Math.Max(1, _live)));
        }
        finally { _lock.ExitReadLock(); }
    }

    private static (int Concept, int Analyser, float Weight)[] Matches(ReadOnlySpan<int> wordTerms, List<(Dictionary<int, float>[] Terms, float Weight)> concepts)
    {
        if (wordTerms.IsEmpty)
            return [];
        var matches = new List<(int, int, float)>();
        for (var c = 0; c < concepts.Count; c++)
        {
            for (var a = 0; a < WordAnalysers.Count; a++)
            {
                if (concepts[c].Terms[a].TryGetValue(wordTerms[a], out var weight))
                    matches.Add((c, a, weight));
            }
        }
        return matches.ToArray();
    }

    /// <summary>The query's char 4-grams with their weights (a gram of several alternatives keeps its best).</summary>
    private (Dictionary<int, float> Grams, Dictionary<int, List<(int Concept, float Weight)>> Concepts) QueryGrams(LexicalQuery query)
    {
        var grams = new Dictionary<int, float>();
        var concepts = new Dictionary<int, List<(int, float)>>();
        for (var c = 0; c < query.Concepts.Count; c++)
        {
            var concept = query.Concepts[c];
            foreach (var alternative in concept.Alternatives)
            {
                if (_analysers.IsStopword(alternative.Folded))
                    continue;
                foreach (var gram in CharGrams.Of(alternative.Folded))
                {
                    if (!_gramIds.TryGetValue(gram, out var id))
                        continue;
                    var weight = alternative.Weight * concept.Weight;
                    grams[id] = Math.Max(grams.GetValueOrDefault(id), weight);
                    if (!concepts.TryGetValue(id, out var list))
                        concepts[id] = list = [];
                    var known = list.FindIndex(x => x.Item1 == c);
                    if (known < 0)
                        list.Add((c, weight));
                    else if (list[known].Item2 < weight)
                        list[known] = (c, weight);
                }
            }
        }
        return (grams, concepts);
    }
}
