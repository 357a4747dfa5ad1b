using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// What each stage of the retrieval pipeline gave a hit: the fused lexical score (each analyser's fielded BM25 over its
/// best), the vector similarity, the reranker's score, the boosts (dates, the conversation's article) and the total.
/// </summary>
public sealed record StageScores(double Lexical, double Vector, double Rerank, double Boost)
{
    public double Total => Rerank + Boost;
}

/// <summary>
/// A retrieved piece of an article: the matching chunk (<see cref="HitStart"/>–<see cref="HitEnd"/>) widened by its
/// neighbours (<see cref="Start"/>–<see cref="End"/>), both as offsets into the article's cleaned text.
/// </summary>
public sealed record Passage(
    int Rank,
    string ArticleId,
    string Title,
    string? Source,
    DateOnly? Published,
    string? Url,
    string ArticleText,
    int Start,
    int End,
    int HitStart,
    int HitEnd,
    double Score)
{
    public string Text => ArticleText[Start..End];

    public StageScores? Scores { get; init; }
}

/// <summary>The passages for a question, the evidence that they answer it, and where the time went.</summary>
public sealed record RetrievalResult(Query Query, IReadOnlyList<Passage> Passages, Evidence Evidence, TimeSpan Elapsed)
{
    /// <summary>Milliseconds spent in each stage, in pipeline order.</summary>
    public IReadOnlyList<(string Stage, double Ms)> StageTimings { get; init; } = [];
}
