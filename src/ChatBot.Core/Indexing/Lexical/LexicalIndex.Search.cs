using System.Buffers;
using System.Runtime.CompilerServices;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

public sealed partial class LexicalIndex
{
    /// <summary>
    /// The <paramref name="top"/> chunks by fused fielded BM25 (any concept may match), best first; ties by id. Only
    /// chunks whose own text matches are candidates; their title and titled document add to their score.
    /// </summary>
    public List<LexicalHit> Search(LexicalQuery query, int top, LexicalScoring? scoring = null)
    {
        scoring ??= LexicalScoring.Default;
        var result = new List<LexicalHit>();
        if (top <= 0 || query.Concepts.Count == 0)
            return result;
        _lock.EnterReadLock();
        var scratch = (Scratch?)null;
        var completed = false;
        try
        {
            if (_live == 0)
            {
                completed = true;
                return result;
            }
            scratch = Scratch.Rent(_used, _groups.Count);
            var concepts = query.Concepts.Select(ConceptTerms).ToList();
            ScoreAnalysers(concepts, scoring, scratch);
            // Each analyser's fielded score, written over its chunk scores (the chunk part is recovered for the hits).
            var best = new float[WordAnalysers.Count];
            var union = scratch.Union;
            if (scratch.Lanes.Count > 1 && union.Length >= ParallelPostings)
                Parallel.ForEach(Searched, new ParallelOptions { MaxDegreeOfParallelism = scratch.Lanes.Count }, a => best[a] = Field(a, scoring, scratch));
            else
            {
                foreach (var a in Searched)
                    best[a] = Field(a, scoring, scratch);
            }
            var scale = new float[best.Length];
            for (var a = 0; a < best.Length; a++)
                scale[a] = best[a] > 0 ? scoring.AnalyserWeights[a] / best[a] : 0;

            var heap = new PriorityQueue<int, (float Score, long NegatedId)>(top + 1);
            var floor = float.MinValue;
            foreach (var slot in union)
            {
                var total = 0f;
                for (var a = 0; a < scale.Length; a++)
                {
                    if (scale[a] > 0)
                        total += scale[a] * scratch.Body[a][slot];
                }
                if (heap.Count == top && total < floor)
                    continue;
                var key = (total, -_ids[slot]);
                if (heap.Count < top)
                    heap.Enqueue(slot, key);
                else if (heap.TryPeek(out _, out var worst) && key.CompareTo(worst) > 0)
                    heap.EnqueueDequeue(slot, key);
                if (heap.Count == top && heap.TryPeek(out _, out var lowest))
                    floor = lowest.Score;
            }
            while (heap.TryDequeue(out var slot, out var key))
                result.Add(Hit(scratch, slot, key.Score, best, scoring));
            result.Reverse();
            completed = true;
            return result;
        }
        finally
        {
            // After a failure the accumulators may be dirty: they are dropped rather than pooled.
            if (completed)
                scratch?.Return();
            _lock.ExitReadLock();
        }
    }

    /// <summary>Each analyser's term ids for a concept, with the weight of their best alternative.</summary>
    private (Dictionary<int, float>[] Terms, float Weight) ConceptTerms(LexicalConcept concept)
    {
        var terms = new Dictionary<int, float>[WordAnalysers.Count];
        for (var a = 0; a < terms.Length; a++)
            terms[a] = [];
        foreach (var alternative in concept.Alternatives)
        {
            if (alternative.Weight <= 0)
                continue;
            var analysed = _wordIds.TryGetValue(alternative.Folded, out var wordId) && _words.IsIndexed(wordId)
                ? _words.Terms(wordId).ToArray().Select(id => (int?)id).ToArray()
                : _analysers.Terms(alternative.Folded)?.Select((term, a) => _tables[a].Ids.TryGetValue(term, out var id) ? id : (int?)null).ToArray();
            if (analysed is null)
                continue;
            for (var a = 0; a < terms.Length; a++)
            {
                if (analysed[a] is { } id)
                    terms[a][id] = Math.Max(terms[a].GetValueOrDefault(id), alternative.Weight);
            }
        }
        return (terms, concept.Weight);
    }

    /// <summary>Analyser <paramref name="a"/>'s fielded score of every chunk touched, over its chunk score; its best.</summary>
    private float Field(int a, LexicalScoring scoring, Scratch scratch)
    {
        var titleWeight = (float)scoring.TitleWeight;
        var documentWeight = (float)scoring.DocumentWeight;
        var (body, title, document) = (scratch.Body[a], scratch.Title[a], scratch.Document[a]);
        var max = 0f;
        foreach (var slot in scratch.Union)
        {
            var group = _groupOf[slot];
            var fielded = body[slot] + titleWeight * title[group] + documentWeight * document[group];
            body[slot] = fielded;
            if (fielded > max)
                max = fielded;
        }
        return max;
    }

    /// <summary>One term's BM25 contribution: <paramref name="idf"/> (already weighed) times the saturated frequency, normalised by length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Bm25(double idf, double tf, double length, double averageLength, double k1, double b) =>
        idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / averageLength));

    /// <summary>
    /// Postings a question must read before its analysers are scored side by side, one lane (its own accumulators) per
    /// core. PIAF dev questions read about 30k at the median and 125k at the 90th percentile at 100k chunks, 300k and
    /// 1.25M at 1M. Below this the second thread's start and the merge cost about what they save, and on a busy machine
    /// a lane waiting for the other core lengthens the tail (at 100k with the threshold at 20k: p50 unchanged, p99
    /// +19 % over four alternating pairs); at 1M the candidates stage went from 30.5 to 20.1 ms at p50.
    /// </summary>
    internal int ParallelPostings { get; set; } = 100_000;

    /// <summary>The analysers whose postings are searched (<see cref="WordAnalysers.IsSearched"/>), in order.</summary>
    private static readonly int[] Searched = Enumerable.Range(0, WordAnalysers.Count).Where(WordAnalysers.IsSearched).ToArray();

    /// <summary>The most lanes a search uses: one per core (two analysers are searched, so two at most).</summary>
    internal int MaxLanes { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Every searched analyser's BM25 for every concept, into <paramref name="s"/>. An analyser is scored whole by one
    /// lane, in the concepts' order, so its scores are the same float sums whichever lane scores it and however many
    /// lanes run; the lanes' unions of touched chunks and groups are merged after.
    /// </summary>
    private void ScoreAnalysers(List<(Dictionary<int, float>[] Terms, float Weight)> concepts, LexicalScoring scoring, Scratch s)
    {
        var analysers = Searched;
        long postings = 0;
        foreach (var a in analysers)
        {
            foreach (var (terms, weight) in concepts)
            {
                if (weight <= 0)
                    continue;
                foreach (var term in terms[a].Keys)
                    postings += _tables[a].Chunks[term].Count;
            }
        }
        var lanes = postings >= ParallelPostings ? Math.Clamp(MaxLanes, 1, analysers.Length) : 1;
        s.RentLanes(lanes);
        if (lanes == 1)
        {
            foreach (var a in analysers)
                ScoreAnalyser(a, concepts, scoring, s, s.Lanes[0]);
            return;
        }
        // Lane w scores analysers w, w + lanes, …: which lane scores what never depends on timing.
        Parallel.For(0, lanes, new ParallelOptions { MaxDegreeOfParallelism = lanes }, lane =>
        {
            for (var i = lane; i < analysers.Length; i += lanes)
                ScoreAnalyser(analysers[i], concepts, scoring, s, s.Lanes[lane]);
        });
        s.MergeLanes();
    }

    private void ScoreAnalyser(int analyser, List<(Dictionary<int, float>[] Terms, float Weight)> concepts, LexicalScoring scoring, Scratch s, Lane lane)
    {
        foreach (var (terms, weight) in concepts)
            ScoreConcept(analyser, terms[analyser], weight, scoring, s, lane);
    }

    private void ScoreConcept(int analyser, Dictionary<int, float> terms, float weight, LexicalScoring scoring, Scratch s, Lane lane)
    {
        if (terms.Count == 0 || weight <= 0)
            return;
        var table = _tables[analyser];
        int chunks = 0, documents = 0, titles = 0;
        foreach (var (term, w) in terms)
        {
            ref readonly var postings = ref table.Chunks[term];
            if (postings.Live > 0)
            {
                var cursor = postings.Read();
                while (cursor.Next(out var slot, out var frequency))
                {
                    if (_lengths[slot] < 0)
                        continue;
                    var f = w * frequency;
                    if (lane.ChunkTf[slot] == 0)
                        lane.ChunkTouched[chunks++] = slot;
                    lane.ChunkTf[slot] += f;
                    var group = _groupOf[slot];
                    if (lane.DocumentTf[group] == 0)
                        lane.DocumentTouched[documents++] = group;
                    lane.DocumentTf[group] += f;
                }
            }
            ref readonly var titlePostings = ref table.TitleOf(term);
            if (titlePostings.Live > 0)
            {
                var cursor = titlePostings.Read();
                while (cursor.Next(out var group, out var frequency))
                {
                    if (_groups[group].LiveChunks == 0)
                        continue;
                    if (lane.TitleTf[group] == 0)
                        lane.TitleTouched[titles++] = group;
                    lane.TitleTf[group] += w * frequency;
                }
            }
        }

        var k1 = scoring.K1;
        var b = scoring.B;
        var averageChunk = Math.Max(1.0, (double)_liveLength / _live);
        var idf = weight * Idf(_live, chunks);
        var body = s.Body[analyser];
        foreach (var slot in lane.ChunkTouched.AsSpan(0, chunks))
        {
            double tf = lane.ChunkTf[slot];
            lane.ChunkTf[slot] = 0;
            body[slot] += (float)Bm25(idf, tf, _lengths[slot], averageChunk, k1, b);
            if (!lane.InUnion[slot])
            {
                lane.InUnion[slot] = true;
                lane.Union[lane.UnionCount++] = slot;
            }
        }

        var averageDocument = Math.Max(1.0, (double)_liveLength / Math.Max(1, _liveGroups));
        idf = weight * Idf(_liveGroups, documents);
        var document = s.Document[analyser];
        foreach (var group in lane.DocumentTouched.AsSpan(0, documents))
        {
            double tf = lane.DocumentTf[group];
            lane.DocumentTf[group] = 0;
            document[group] += (float)Bm25(idf, tf, _groups[group].Length, averageDocument, k1, b);
            lane.TouchGroup(group);
        }

        var averageTitle = Math.Max(1.0, (double)_liveTitleLength / Math.Max(1, _liveGroups));
        idf = weight * Idf(_liveGroups, titles);
        var title = s.Title[analyser];
        foreach (var group in lane.TitleTouched.AsSpan(0, titles))
        {
            double tf = lane.TitleTf[group];
            lane.TitleTf[group] = 0;
            title[group] += (float)Bm25(idf, tf, _groups[group].TitleLength, averageTitle, k1, b);
            lane.TouchGroup(group);
        }
    }

    /// <summary>BM25's idf as Lucene computes it: never negative, however common the term.</summary>
    private static double Idf(int count, int frequency) => Math.Log(1 + (count - frequency + 0.5) / (frequency + 0.5));


    private LexicalHit Hit(Scratch s, int slot, float score, float[] best, LexicalScoring scoring)
    {
        var group = _groupOf[slot];
        var n = WordAnalysers.Count;
        var hit = new LexicalHit(_ids[slot], score)
        {
            Fielded = new float[n],
            Body = new float[n],
            Title = new float[n],
            Document = new float[n],
            Best = best,
        };
        for (var a = 0; a < n; a++)
        {
            if (!WordAnalysers.IsSearched(a))
                continue;
            hit.Fielded[a] = s.Body[a][slot]; // the fielded score by now (see Search)
            hit.Title[a] = s.Title[a][group];
            hit.Document[a] = s.Document[a][group];
            hit.Body[a] = hit.Fielded[a] - (float)scoring.TitleWeight * hit.Title[a] - (float)scoring.DocumentWeight * hit.Document[a];
        }
        return hit;
    }

    /// <summary>
    /// Pooled accumulators of one search: a question at 100k chunks would otherwise allocate megabytes, and large
    /// allocations are what make the GC collect the whole heap. Every array is returned cleared (only what was touched).
    /// Each analyser's fielded parts are shared; the term frequencies and the touched lists belong to a <see cref="Lane"/>.
    /// </summary>
    private sealed class Scratch
    {
        public float[][] Body = null!;
        public float[][] Title = null!;
        public float[][] Document = null!;
        public readonly List<Lane> Lanes = new(2);
        private int _slots;
        private int _groups;

        /// <summary>Every chunk any analyser touched (the first lane's, once the others are merged into it).</summary>
        public ReadOnlySpan<int> Union => Lanes[0].Union.AsSpan(0, Lanes[0].UnionCount);

        public static Scratch Rent(int slots, int groups) => new()
        {
            _slots = slots,
            _groups = groups,
            Body = Enumerable.Range(0, WordAnalysers.Count).Select(_ => RentCleared<float>(slots)).ToArray(),
            Title = Enumerable.Range(0, WordAnalysers.Count).Select(_ => RentCleared<float>(groups)).ToArray(),
            Document = Enumerable.Range(0, WordAnalysers.Count).Select(_ => RentCleared<float>(groups)).ToArray(),
        };

        public void RentLanes(int count)
        {
            while (Lanes.Count < count)
                Lanes.Add(Lane.Rent(_slots, _groups));
        }

        /// <summary>The other lanes' touched chunks and groups, added to the first lane's lists.</summary>
        public void MergeLanes()
        {
            var first = Lanes[0];
            foreach (var lane in Lanes.Skip(1))
            {
                foreach (var slot in lane.Union.AsSpan(0, lane.UnionCount))
                {
                    if (!first.InUnion[slot])
                    {
                        first.InUnion[slot] = true;
                        first.Union[first.UnionCount++] = slot;
                    }
                }
                foreach (var group in lane.Groups.AsSpan(0, lane.GroupCount))
                    first.TouchGroup(group);
            }
        }

        public void Return()
        {
            if (Lanes.Count > 0)
            {
                var first = Lanes[0];
                foreach (var slot in first.Union.AsSpan(0, first.UnionCount))
                {
                    foreach (var body in Body)
                        body[slot] = 0;
                }
                foreach (var group in first.Groups.AsSpan(0, first.GroupCount))
                {
                    foreach (var title in Title)
                        title[group] = 0;
                    foreach (var document in Document)
                        document[group] = 0;
                }
            }
            foreach (var lane in Lanes)
                lane.Return();
            foreach (var array in Body.Concat(Title).Concat(Document))
                Floats.Return(array);
        }
    }

    /// <summary>
    /// What one thread accumulates while it scores an analyser: term frequencies by chunk and by group (left at zero
    /// after each concept), and the chunks and groups it touched.
    /// </summary>
    private sealed class Lane
    {
        public float[] ChunkTf = null!;
        public float[] DocumentTf = null!;
        public float[] TitleTf = null!;
        public int[] ChunkTouched = null!;
        public int[] DocumentTouched = null!;
        public int[] TitleTouched = null!;
        public bool[] InUnion = null!;
        public int[] Union = null!;
        public int UnionCount;
        public bool[] GroupTouched = null!;
        public int[] Groups = null!;
        public int GroupCount;

        public static Lane Rent(int slots, int groups) => new()
        {
            ChunkTf = RentCleared<float>(slots),
            DocumentTf = RentCleared<float>(groups),
            TitleTf = RentCleared<float>(groups),
            ChunkTouched = Ints.Rent(slots),
            DocumentTouched = Ints.Rent(groups),
            TitleTouched = Ints.Rent(groups),
            InUnion = RentCleared<bool>(slots),
            Union = Ints.Rent(slots),
            GroupTouched = RentCleared<bool>(groups),
            Groups = Ints.Rent(groups),
        };

        public void TouchGroup(int group)
        {
            if (GroupTouched[group])
                return;
            GroupTouched[group] = true;
            Groups[GroupCount++] = group;
        }

        public void Return()
        {
            foreach (var slot in Union.AsSpan(0, UnionCount))
                InUnion[slot] = false;
            foreach (var group in Groups.AsSpan(0, GroupCount))
                GroupTouched[group] = false;
            foreach (var array in new[] { ChunkTf, DocumentTf, TitleTf })
                Floats.Return(array);
            foreach (var array in new[] { ChunkTouched, DocumentTouched, TitleTouched, Union, Groups })
                Ints.Return(array);
            Flags.Return(InUnion);
            Flags.Return(GroupTouched);
        }
    }

    // Pools of this index's searches alone: every array goes back cleared (only what a search touched is cleared, so an
    // array left dirty by anyone else would leak scores into the next question).
    private static readonly ArrayPool<float> Floats = ArrayPool<float>.Create(1 << 24, 32);
    private static readonly ArrayPool<int> Ints = ArrayPool<int>.Create(1 << 24, 32);
    private static readonly ArrayPool<bool> Flags = ArrayPool<bool>.Create(1 << 24, 32);

    private static T[] RentCleared<T>(int length) =>
        (typeof(T) == typeof(float) ? (T[])(object)Floats.Rent(Math.Max(length, 1))
        : typeof(T) == typeof(bool) ? (T[])(object)Flags.Rent(Math.Max(length, 1))
        : throw new NotSupportedException());
}
