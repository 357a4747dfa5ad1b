using System.Text.Json;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// A .jsonl file holds one article a line: <c>id</c>, <c>title</c>, <c>text</c>, optional <c>published</c>,
/// <c>source</c>, <c>url</c>. A bad line is reported with its number and the others are kept.
/// </summary>
public sealed class JsonLinesFormat : IDocumentFormat
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
            lineNumber++;
            var line = text.AsMemory()[range];
            if (line.Span.IsWhiteSpace())
                continue;
            var where = $"{path}:{lineNumber}";
            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    warnings.Add(new CorpusWarning(where, "not a JSON object; line skipped"));
                    continue;
                }
                var body = Field(root, "text");
                if (string.IsNullOrWhiteSpace(body))
                {
                    warnings.Add(new CorpusWarning(where, "no \"text\"; line skipped"));
                    continue;
                }
                var articleId = Field(root, "id") is { Length: > 0 } given ? given : $"{id}-{lineNumber}";
                if (!ids.Add(articleId))
                {
                    warnings.Add(new CorpusWarning(where, $"duplicate id \"{articleId}\"; line skipped"));
                    continue;
                }
                documents.Add(new SourceDocument(
                    articleId, path, body, ContentHash.Of(line.Span.Trim().ToString()),
                    Title: Field(root, "title"),
                    Source: Field(root, "source"),
                    Published: DateParsing.ParseValue(Field(root, "published")),
                    Url: Field(root, "url")));
            }
            catch (JsonException ex)
            {
                warnings.Add(new CorpusWarning(where, $"invalid JSON ({ex.Message}); line skipped"));
            }
        }
        return new ParsedFile(documents, warnings);
    }

    private static string? Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;
}
