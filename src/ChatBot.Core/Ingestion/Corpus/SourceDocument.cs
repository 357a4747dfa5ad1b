namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// One article as read from the corpus, before cleaning. Fields other than the text are set when the format carries
/// them (a JSONL line, HTML metadata); the cleaner fills the rest from the text itself.
/// </summary>
public sealed record SourceDocument(
    string Id,
    string Path,
    string RawText,
    string ContentHash,
    string? Title = null,
    string? Source = null,
    DateOnly? Published = null,
    string? Url = null);

/// <summary>A corpus file (or JSONL line) that could not be used, with a reason a person can act on.</summary>
public sealed record CorpusWarning(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
