namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>The body text of an article with the metadata the cleaner found in the page furniture.</summary>
public sealed record CleanedText(string Text, string? Title, string? Source, DateOnly? Published);
