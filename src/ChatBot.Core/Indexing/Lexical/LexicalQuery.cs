namespace ChatBot.Core.Indexing.Lexical;

/// <summary>One way of writing a query concept: a folded word, counted with <see cref="Weight"/> (≤ 1) of a match.</summary>
public readonly record struct LexicalAlternative(string Folded, float Weight);

/// <summary>
/// One concept of a query: its alternatives (the word, a corrected spelling, translations) count as one synonym set,
/// so two spellings of one word never count twice. <see cref="Weight"/> scales the whole concept.
/// </summary>
public sealed record LexicalConcept(IReadOnlyList<LexicalAlternative> Alternatives, float Weight = 1f)
{
    public static LexicalConcept Of(string folded) => new([new LexicalAlternative(folded, 1f)]);
}

/// <summary>A query for <see cref="LexicalIndex"/>: its concepts, each scored with BM25 as a synonym set.</summary>
public sealed record LexicalQuery(IReadOnlyList<LexicalConcept> Concepts)
{
    /// <summary>
    /// Every word of the question as written (folded, function and question words included): the reranker's whole-question
    /// BM25 on exact forms reads them; the search does not.
    /// </summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    /// <summary>A query of the text's content words, one concept each (tests and tools).</summary>
    public static LexicalQuery FromText(string text, Foundation.Text.WordAnalysers analysers)
    {
        var concepts = new List<LexicalConcept>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in analysers.Analyzer.Tokenize(text))
        {
            if (token.Term is not null && seen.Add(token.Folded))
                concepts.Add(LexicalConcept.Of(token.Folded));
        }
        return new LexicalQuery(concepts);
    }
}

/// <summary>
/// How the fields count: BM25's k1 and b, and the weights of the title and of the whole titled document (every chunk
/// of every article sharing the title) next to the chunk's own text, which counts 1.
/// </summary>
public sealed record LexicalScoring(double K1 = 0.6, double B = 0.5, double TitleWeight = 0.3, double DocumentWeight = 0.5)
{
    /// <summary>Weight of each analyser in the fused score (<see cref="Foundation.Text.TermAnalyser"/> order).</summary>
    public IReadOnlyList<float> AnalyserWeights { get; init; } = [1f, 1f, 1f];

    public static LexicalScoring Default { get; } = new();
}

/// <summary>
/// A chunk found by <see cref="LexicalIndex.Search"/>: its fused score (each analyser's fielded BM25 divided by that
/// analyser's best, summed) and the parts it is made of, for the reranker.
/// </summary>
public sealed record LexicalHit(long Id, double Score)
{
    /// <summary>Per analyser (in <see cref="Foundation.Text.TermAnalyser"/> order): the fielded score, and its chunk, title and document parts.</summary>
    public required float[] Fielded { get; init; }
    public required float[] Body { get; init; }
    public required float[] Title { get; init; }
    public required float[] Document { get; init; }

    /// <summary>Each analyser's best fielded score for the query, over every chunk (to scale <see cref="Fielded"/>).</summary>
    public required float[] Best { get; init; }
}
