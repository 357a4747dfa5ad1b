namespace ChatBot.Core.Corpus;

/// <summary>A cleaned article: the text every chunk offset and every quote refers to.</summary>
public sealed record Article(
    string Id,
    string Title,
    string? Source,
    DateOnly? Published,
    string? Url,
    string Path,
    string Text,
    string ContentHash);
