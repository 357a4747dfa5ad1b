using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Retrieval.Pipeline;

/// <summary>A chunk on its way through the stages, with what each stage found.</summary>
public sealed class RetrievalCandidate(long id)
{
    public long Id { get; } = id;
    public ChunkRecord? Record { get; set; }
    public LexicalHit? Lexical { get; set; }
    public double Vector { get; set; }
    public float[]? Features { get; set; }
    public double Rerank { get; set; }
    public double Boost { get; set; }
    public double Score => Rerank + Boost;
}

/// <summary>What the conversation adds to a question: the articles the previous answer cited, favoured when the topic carries over.</summary>
public sealed record RetrievalHints(IReadOnlyList<string> PreferredArticles)
{
    public static RetrievalHints None { get; } = new([]);
}

/// <summary>One question going through the retrieval stages.</summary>
public sealed class RetrievalContext(Query query, DateIntent intent, int topK, int maxPerArticle, RetrievalHints hints)
{
    public Query Query { get; } = query;
    public DateIntent Intent { get; } = intent;
    public int TopK { get; } = topK;
    public int MaxPerArticle { get; } = maxPerArticle;
    public RetrievalHints Hints { get; } = hints;

    /// <summary>Publication dates by article, read when the question names dates.</summary>
    public IReadOnlyDictionary<string, DateOnly?>? Published { get; set; }

    /// <summary>The chunks in play, best first once ranked.</summary>
    public List<RetrievalCandidate> Candidates { get; set; } = [];

    /// <summary>What the last stage hands the answer generator.</summary>
    public List<Passage> Passages { get; } = [];

    public List<(string Stage, double Ms)> Timings { get; } = [];
}

/// <summary>One step of retrieval; the pipeline runs them in registration order and times each.</summary>
public interface IRetrievalStage
{
    string Name { get; }

    ValueTask RunAsync(RetrievalContext context, CancellationToken cancellationToken);
}
