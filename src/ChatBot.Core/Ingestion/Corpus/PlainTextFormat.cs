namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>A .txt file is one article: title, furniture and body as scraped; the cleaner sorts them out.</summary>
public sealed class PlainTextFormat : IDocumentFormat
{
    public IReadOnlyCollection<string> Extensions { get; } = [".txt"];

    public ParsedFile Parse(string path, string id, string text) =>
        new([new SourceDocument(id, path, text, ContentHash.Of(text))], []);
}
