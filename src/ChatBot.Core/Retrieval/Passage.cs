namespace ChatBot.Core.Retrieval;

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
}

/// <summary>The passages for a question and the evidence that they answer it.</summary>
public sealed record RetrievalResult(Query Query, IReadOnlyList<Passage> Passages, Evidence Evidence, TimeSpan Elapsed);
