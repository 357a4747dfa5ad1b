using System.Text.Json;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// A .jsonl file holds one article a line: <c>id</c>, <c>title</c>, <c>text</c>, optional <c>published</c>,
/// <c>source</c>, <c>url</c>. A bad line is reported with its number and the others are kept. A large file is read
/// line by line (<see cref="ParseLines"/>), never whole.
/// </summary>
public sealed class JsonLinesFormat : IStreamingDocumentFormat
{
    public IReadOnlyCollection<string> Extensions { get; } = [".jsonl"];

    public ParsedFile Parse(string path, string id, string text)
    {
        var documents = new List<SourceDocument>();
        var warnings = new List<CorpusWarning>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        // Lines are read in place: a corpus file of 80 MB is not copied again line by line.
        foreach (var range in text.AsSpan().Split('\n'))
        {
            var (document, warning) = ParseLine(path, id, ++lineNumber, text.AsMemory()[range], ids);
            if (document is not null)
                documents.Add(document);
            if (warning is not null)
                warnings.Add(warning);
        }
        return new ParsedFile(documents, warnings);
    }

    public IEnumerable<(SourceDocument? Document, CorpusWarning? Warning)> ParseLines(string path, string id, TextReader reader)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            var parsed = ParseLine(path, id, ++lineNumber, line.AsMemory(), ids);
            if (parsed != default)
                yield return parsed;
        }
    }

    private static (SourceDocument? Document, CorpusWarning? Warning) ParseLine(string path, string id, int lineNumber, ReadOnlyMemory<char> line, HashSet<string> ids)
    {
        if (line.Span.IsWhiteSpace())
            return default;
        var where = $"{path}:{lineNumber}";
        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return (null, new CorpusWarning(where, "not a JSON object; line skipped"));
            var body = Field(root, "text");
            if (string.IsNullOrWhiteSpace(body))
                return (null, new CorpusWarning(where, "no \"text\"; line skipped"));
            var articleId = Field(root, "id") is { Length: > 0 } given ? given : $"{id}-{lineNumber}";
            if (!ids.Add(articleId))
                return (null, new CorpusWarning(where, $"duplicate id \"{articleId}\"; line skipped"));
            return (new SourceDocument(
                articleId, path, body, ContentHash.Of(line.Span.Trim().ToString()),
                Title: Field(root, "title"),
                Source: Field(root, "source"),
                Published: DateParsing.ParseValue(Field(root, "published")),
                Url: Field(root, "url")), null);
        }
        catch (JsonException ex)
        {
            return (null, new CorpusWarning(where, $"invalid JSON ({ex.Message}); line skipped"));
        }
    }

    private static string? Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
