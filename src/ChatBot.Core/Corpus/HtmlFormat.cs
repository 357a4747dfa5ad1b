using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SmartReader;

namespace ChatBot.Core.Corpus;

/// <summary>
/// A .html file is one article. SmartReader (Mozilla Readability) finds the main content; its block elements become
/// paragraphs. Pages it cannot read fall back to the body's blocks, and the cleaner removes what furniture is left.
/// </summary>
public sealed class HtmlFormat : IDocumentFormat
{
    private const string Blocks = "p, h1, h2, h3, h4, h5, h6, li, blockquote, pre, figcaption, td";
    private const string Furniture = "script, style, noscript, nav, header, footer, aside, form, button, iframe, svg, [role=navigation], [aria-hidden=true]";

    public IReadOnlyCollection<string> Extensions { get; } = [".html", ".htm"];

    public ParsedFile Parse(string path, string id, string text)
    {
        var article = Reader.ParseArticle("file://" + Path.GetFullPath(path).Replace('\\', '/'), text);
        // The page's own metadata says when it was published; read before Readability, which keeps the head's meta tags
        // only in part.
        var stated = PublicationMetadata.Find(new HtmlParser().ParseDocument(text));
        var content = article.IsReadable && !string.IsNullOrWhiteSpace(article.Content) ? article.Content : text;
        var document = new HtmlParser().ParseDocument(content);
        var body = BlockText(document);
        var title = string.IsNullOrWhiteSpace(article.Title) ? document.Title : article.Title;
        var source = FirstNonEmpty(article.SiteName, article.Author, article.Byline);
        var published = stated ?? (article.PublicationDate is { } date ? DateOnly.FromDateTime(date) : null);
        var warnings = body.Length == 0
            ? new List<CorpusWarning> { new(path, "no readable text in this HTML page") }
            : [];
        var documents = body.Length == 0
            ? []
            : new List<SourceDocument> { new(id, path, body, ContentHash.Of(text), title, source, published) };
        return new ParsedFile(documents, warnings);
    }

    private static string BlockText(IDocument document)
    {
        foreach (var element in document.QuerySelectorAll(Furniture).ToList())
            element.Remove();
        var blocks = document.QuerySelectorAll(Blocks)
            .Where(e => e.QuerySelector(Blocks) is null) // innermost blocks only, so no text is taken twice
            .Select(e => e.TextContent.Trim())
            .Where(t => t.Length > 0)
            .ToList();
        if (blocks.Count == 0 && document.Body is { } bodyElement)
            blocks.Add(bodyElement.TextContent.Trim());
        return string.Join("\n", blocks);
    }

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
