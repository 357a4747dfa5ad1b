using System.Buffers;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Indexing.Lexical;

/// <summary>A concept's frequencies under one analyser over the whole collection: live chunks, live titled documents, live titles.</summary>
internal readonly record struct ConceptCounts(int Chunks, int Documents, int Titles);

public sealed partial class LexicalIndex
{
    /// <summary>
    /// Postings a question must read before its search is pruned (<see cref="Prune"/>). Below this, scoring every posting
    /// costs less than bounding first.
    /// </summary>
    internal int PrunePostings { get; set; } = 150_000;

    /// <summary>Searches whose scoring was limited to the groups that could reach the top (tests and the benchmark).</summary>
    internal int PrunedSearches => _prunedSearches;

    private int _prunedSearches;

    /// <summary>
    /// The titled documents (groups) whose chunks could still reach the <paramref name="top"/> or be an analyser's
    /// best, with each concept's collection frequencies; null when the search must score every posting.
    /// <para>
    /// MaxScore, term-at-a-time. A concept can add at most <c>weight × (k1 + 1) × (idf + TitleWeight × idf(title) +
    /// DocumentWeight × idf(document))</c> to one chunk under one analyser (BM25's saturation stays below k1 + 1). The
    /// rare concepts, which can add the most, are scored first, one at a time, exactly. Once the frequent concepts left
    /// could not lift a chunk the rare ones missed into the top (nor make it an analyser's best), only the groups whose
    /// chunks could still get there are kept: the search then reads every posting but scores only theirs. A frequent
    /// word's list is still walked, to count it, but not accumulated: that is where a question's time went.
    /// </para>
    /// <para>
    /// Every kept chunk is then scored as the full search scores it (same floats, same order), every analyser's best is
    /// among them, and what was not kept is below the top by its bound; so the hits are those of the full search, bit for
    /// bit. The bounds are taken with a margin of 1e-4 on either side for the floats' rounding.
    /// </para>
    /// </summary>
    private PrunePlan? Prune(List<(Dictionary<int, float>[] Terms, float Weight)> concepts, int top, LexicalScoring scoring)
    {
        var n = concepts.Count;
        if (n < 2)
            return null;
        long total = 0;
        var postings = new long[n];
        for (var c = 0; c < n; c++)
        {
            if (concepts[c].Weight <= 0)
                continue;
            foreach (var a in Searched)
            {
                foreach (var term in concepts[c].Terms[a].Keys)
                    postings[c] += _tables[a].Chunks[term].Count;
            }
            total += postings[c];
        }
        if (total < PrunePostings)
            return null;

        // Every concept's frequencies, counted (no scoring), and what it can add to one chunk at most.
        var counts = CountConcepts(concepts);
        var analysers = WordAnalysers.Count;
        var weights = scoring.AnalyserWeights;
        var bound = new double[analysers][];
        var k1 = scoring.K1 + 1;
        for (var a = 0; a < analysers; a++)
        {
            bound[a] = new double[n];
            if (!WordAnalysers.IsSearched(a))
                continue;
            for (var c = 0; c < n; c++)
            {
                var (chunks, documents, titles) = counts[a][c];
                if (concepts[c].Weight <= 0)
                    continue;
                bound[a][c] = concepts[c].Weight * k1 * (
                    (chunks > 0 ? Idf(_live, chunks) : 0)
                    + (titles > 0 ? scoring.TitleWeight * Idf(_liveGroups, titles) : 0)
                    + (documents > 0 ? scoring.DocumentWeight * Idf(_liveGroups, documents) : 0));
            }
        }
        // Rare first: the concepts that can add the most.
        var order = Enumerable.Range(0, n).Where(c => concepts[c].Weight > 0 && postings[c] > 0)
            .OrderByDescending(c => Enumerable.Range(0, analysers).Sum(a => bound[a][c])).ThenBy(c => c).ToArray();
        var left = new double[analysers];
        foreach (var c in order)
        {
            for (var a = 0; a < analysers; a++)
                left[a] += bound[a][c];
        }

        var scratch = Scratch.Rent(_used, _groups.Count);
        var completed = false;
        try
        {
            scratch.RentLanes(1);
            var lane = scratch.Lanes[0];
            var read = 0L;
            for (var j = 0; j < order.Length - 1; j++)
            {
                var c = order[j];
                foreach (var a in Searched)
                    ScoreConcept(a, concepts[c].Terms[a], concepts[c].Weight, scoring, scratch, lane);
                for (var a = 0; a < analysers; a++)
                    left[a] -= bound[a][c];
                read += postings[c];
                // Pruning pays for the postings it does not score: with most of them scored already, score the rest.
                if (read > total * 6 / 10)
                    break;
                if (lane.UnionCount < top)
                    continue;
                if (Keep(scratch, lane, left, top, scoring) is { } kept)
                {
                    _ = Interlocked.Increment(ref _prunedSearches);
                    completed = true;
                    return new PrunePlan(kept.Flags, kept.Groups, counts);
                }
            }
            completed = true;
            return null;
        }
        finally
        {
            if (completed)
                scratch.Return();
        }
    }

    /// <summary>
    /// The groups to keep once the concepts scored so far are in <paramref name="s"/> and the others can add at most
    /// <paramref name="left"/> per analyser; null when a chunk they missed could still reach the top or be a best.
    /// </summary>
    private (bool[] Flags, int[] Groups)? Keep(Scratch s, Lane lane, double[] left, int top, LexicalScoring scoring)
    {
        const double Margin = 1e-4;
        var analysers = WordAnalysers.Count;
        var weights = scoring.AnalyserWeights;
        var (titleWeight, documentWeight) = ((float)scoring.TitleWeight, (float)scoring.DocumentWeight);
        var union = lane.Union.AsSpan(0, lane.UnionCount);

        // Each analyser's best partial score: the final best is at least that, and at most that plus what is left.
        var best = new double[analysers];
        for (var a = 0; a < analysers; a++)
        {
            // Every searched analyser's best, weighed or not: the hits carry them.
            if (!WordAnalysers.IsSearched(a))
                continue;
            var (body, title, document) = (s.Body[a], s.Title[a], s.Document[a]);
            var max = 0f;
            foreach (var slot in union)
            {
                var group = _groupOf[slot];
                max = Math.Max(max, body[slot] + titleWeight * title[group] + documentWeight * document[group]);
            }
            if (max <= 0 ? left[a] > 0 : left[a] >= max * (1 - Margin))
                return null; // a chunk not yet seen could be this analyser's best
            best[a] = max;
        }

        // The top-th lowest final score of the chunks seen, at least: their partial scores over the largest possible bests.
        var lowest = new PriorityQueue<double, double>(top + 1);
        var unseen = 0.0;
        for (var a = 0; a < analysers; a++)
        {
            if (best[a] > 0)
                unseen += weights[a] * left[a] / best[a];
        }
        foreach (var slot in union)
        {
            var group = _groupOf[slot];
            var atLeast = 0.0;
            for (var a = 0; a < analysers; a++)
            {
                if (best[a] > 0)
                    atLeast += weights[a] * (s.Body[a][slot] + titleWeight * s.Title[a][group] + documentWeight * s.Document[a][group]) / (best[a] + left[a]);
            }
            if (lowest.Count < top)
                lowest.Enqueue(atLeast, atLeast);
            else if (atLeast > lowest.Peek())
                lowest.EnqueueDequeue(atLeast, atLeast);
        }
        var floor = lowest.Peek() * (1 - Margin);
        if (unseen * (1 + Margin) >= floor)
            return null; // a chunk no scored concept touched could still reach the top

        var kept = RentCleared<bool>(_groups.Count);
        var groups = Ints.Rent(_groups.Count + 1);
        var count = 0;
        // A chunk seen, or any chunk of a group seen (its title and document scores are shared), that could reach the top or a best.
        foreach (var slot in union)
            Consider(_groupOf[slot], slot);
        foreach (var group in lane.Groups.AsSpan(0, lane.GroupCount))
            Consider(group, -1);
        groups[count] = -1; // the list's end
        return (kept, groups);

        void Consider(int group, int slot)
        {
            if (kept[group])
                return;
            var atMost = 0.0;
            var couldBeBest = false;
            for (var a = 0; a < analysers; a++)
            {
                if (best[a] <= 0)
                    continue;
                var partial = (slot >= 0 ? s.Body[a][slot] : 0f) + titleWeight * s.Title[a][group] + documentWeight * s.Document[a][group];
                atMost += weights[a] * (partial + left[a]) / best[a];
                couldBeBest |= (partial + left[a]) * (1 + Margin) >= best[a];
            }
            if (couldBeBest || atMost * (1 + Margin) >= floor)
            {
                kept[group] = true;
                groups[count++] = group;
            }
        }
    }

    /// <summary>Each concept's <see cref="ConceptCounts"/> under each searched analyser, as the full search counts them while it scores.</summary>
    private ConceptCounts[][] CountConcepts(List<(Dictionary<int, float>[] Terms, float Weight)> concepts)
    {
        var counts = new ConceptCounts[WordAnalysers.Count][];
        var slots = Bits.Rent((_used >> 6) + 1);
        var groups = Bits.Rent((_groups.Count >> 6) + 1);
        try
        {
            Array.Clear(slots, 0, (_used >> 6) + 1);
            Array.Clear(groups, 0, (_groups.Count >> 6) + 1);
            for (var a = 0; a < counts.Length; a++)
            {
                counts[a] = new ConceptCounts[concepts.Count];
                if (!WordAnalysers.IsSearched(a))
                    continue;
                for (var c = 0; c < concepts.Count; c++)
                {
                    if (concepts[c].Weight > 0 && concepts[c].Terms[a].Count > 0)
                        counts[a][c] = CountConcept(_tables[a], concepts[c].Terms[a], slots, groups);
                }
            }
        }
        finally
        {
            Bits.Return(slots);
            Bits.Return(groups);
        }
        return counts;
    }

    /// <summary>Distinct live chunks, their distinct groups and the distinct live titles the terms are in; the bit sets are left clear.</summary>
    private ConceptCounts CountConcept(TermTable table, Dictionary<int, float> terms, ulong[] slots, ulong[] groups)
    {
        int chunks = 0, documents = 0, titles = 0;
        var several = terms.Count > 1;
        foreach (var term in terms.Keys)
        {
            ref readonly var postings = ref table.Chunks[term];
            if (postings.Live == 0)
                continue;
            var cursor = postings.Read();
            while (cursor.Next(out var slot, out _))
            {
                if (_lengths[slot] < 0)
                    continue;
                if (several)
                {
                    ref var word = ref slots[slot >> 6];
                    var bit = 1UL << slot;
                    if ((word & bit) != 0)
                        continue;
                    word |= bit;
                }
                chunks++;
                var group = _groupOf[slot];
                ref var groupWord = ref groups[group >> 6];
                var groupBit = 1UL << group;
                if ((groupWord & groupBit) == 0)
                {
                    groupWord |= groupBit;
                    documents++;
                }
            }
        }
        if (several)
            ClearBits(slots, table, terms, useGroups: false);
        ClearBits(groups, table, terms, useGroups: true);
        foreach (var term in terms.Keys)
        {
            ref readonly var postings = ref table.TitleOf(term);
            if (postings.Live == 0)
                continue;
            var cursor = postings.Read();
            while (cursor.Next(out var group, out _))
            {
                if (_groups[group].LiveChunks == 0)
                    continue;
                if (!several)
                {
                    titles++;
                    continue;
                }
                ref var word = ref groups[group >> 6];
                var bit = 1UL << group;
                if ((word & bit) == 0)
                {
                    word |= bit;
                    titles++;
                }
            }
        }
        if (several)
        {
            foreach (var term in terms.Keys)
            {
                var cursor = table.TitleOf(term).Read();
                while (cursor.Next(out var group, out _))
                    groups[group >> 6] = 0;
            }
        }
        return new ConceptCounts(chunks, documents, titles);
    }

    /// <summary>
    /// Clears the words of the bit set that the terms' postings set (by slot, or by the slot's group): by walking the
    /// lists again when they are short, the whole set when they are not (a million chunks' set is 128 kB).
    /// </summary>
    private void ClearBits(ulong[] bits, TermTable table, Dictionary<int, float> terms, bool useGroups)
    {
        var words = ((useGroups ? _groups.Count : _used) >> 6) + 1;
        var postings = 0L;
        foreach (var term in terms.Keys)
            postings += table.Chunks[term].Count;
        if (postings * 8 > words)
        {
            Array.Clear(bits, 0, words);
            return;
        }
        foreach (var term in terms.Keys)
        {
            var cursor = table.Chunks[term].Read();
            while (cursor.Next(out var slot, out _))
                bits[(useGroups ? _groupOf[slot] : slot) >> 6] = 0;
        }
    }

    /// <summary>What <see cref="Prune"/> decided: the kept groups (flags, and their list ending at -1), and the concepts' counts.</summary>
    private sealed record PrunePlan(bool[] Kept, int[] Groups, ConceptCounts[][] Counts)
    {
        public void Return()
        {
            foreach (var group in Groups)
            {
                if (group < 0)
                    break;
                Kept[group] = false;
            }
            Flags.Return(Kept);
            Ints.Return(Groups);
        }
    }

    private static readonly ArrayPool<ulong> Bits = ArrayPool<ulong>.Create(1 << 20, 32);
}
