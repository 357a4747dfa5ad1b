using System.Text;
using System.Text.RegularExpressions;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// A .md file is one article: the first heading is its title, soft-wrapped lines are joined into paragraphs and
/// inline markup is dropped so that quotes read as plain text.
/// </summary>
public sealed partial class MarkdownFormat : IDocumentFormat
{
    public IReadOnlyCollection<string> Extensions { get; } = [".md", ".markdown"];

    [GeneratedRegex(@"!\[[^\]]*\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)")]
    private static partial Regex BlockMarker();

    public ParsedFile Parse(string path, string id, string text)
    {
        string? title = null;
        var paragraphs = new List<string>();
        var current = new StringBuilder();
        foreach (var rawLine in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var isHeading = rawLine.TrimStart().StartsWith('#');
            var isListItem = Regex.IsMatch(rawLine, @"^\s{0,3}(?:[-*+]|\d+[.)])\s+");
            var line = Inline(BlockMarker().Replace(rawLine, "")).Trim();
            if (line.Length == 0 || isHeading || isListItem || line.All(c => c is '-' or '=' or '*'))
                Flush(paragraphs, current);
            if (line.Length == 0 || line.All(c => c is '-' or '=' or '*'))
                continue;
            if (isHeading && title is null)
            {
                title = line;
                continue;
            }
            if (current.Length > 0)
                current.Append(' ');
            current.Append(line);
            if (isHeading || isListItem)
                Flush(paragraphs, current);
        }
        Flush(paragraphs, current);
        var body = string.Join("\n", paragraphs);
        return new ParsedFile([new SourceDocument(id, path, body, ContentHash.Of(text), Title: title)], []);
    }

    private static string Inline(string line)
    {
        line = Image().Replace(line, "");
        line = Link().Replace(line, "$1");
        return Emphasis().Replace(line, "$2");
    }

    private static void Flush(List<string> paragraphs, StringBuilder current)
    {
        if (current.Length > 0)
            paragraphs.Add(current.ToString());
        current.Clear();
    }
}
