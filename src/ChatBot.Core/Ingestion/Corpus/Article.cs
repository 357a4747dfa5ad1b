namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// A cleaned article: metadata for citations, and the text every chunk offset and every quote refers to. The same type
/// from the reader to the index and back: <see cref="IngestedAt"/> and <see cref="UpdatedAt"/> are the index's.
/// </summary>
public sealed record Article(
    string Id,
    string Title,
    string? Source,
    DateOnly? Published,
    string? Url,
    string Path,
    string Text,
    string ContentHash)
{
    /// <summary>When the index first stored the article (default until it is stored).</summary>
    public DateTimeOffset IngestedAt { get; init; }

    /// <summary>When the index last stored a changed version of it (default until it is stored).</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
