using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using SmartReader;

namespace ChatBot.Core.Ingestion.Corpus;

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
        var page = Read(text, "file://" + Path.GetFullPath(path).Replace('\\', '/'));
        var warnings = page.Text.Length == 0
            ? new List<CorpusWarning> { new(path, "no readable text in this HTML page") }
            : [];
        var documents = page.Text.Length == 0
            ? []
            : new List<SourceDocument> { new(id, path, page.Text, ContentHash.Of(text), page.Title, page.Source, page.Published) };
        return new ParsedFile(documents, warnings);
    }

    /// <summary>
    /// The article of an HTML page found at <paramref name="address"/>: its main text (block elements as paragraphs),
    /// title, source (site name, else author), the publication date its metadata states, and its canonical link.
    /// </summary>
    public static HtmlPage Read(string html, string address)
    {
        var article = Reader.ParseArticle(address, html);
        // The page's own metadata says when it was published; read before Readability, which keeps the head's meta tags
        // only in part.
        var head = new HtmlParser().ParseDocument(html);
        var stated = PublicationMetadata.Find(head);
        var canonical = head.QuerySelector("link[rel='canonical']")?.GetAttribute("href")
            ?? head.QuerySelector("meta[property='og:url']")?.GetAttribute("content");
        var siteName = head.QuerySelector("meta[property='og:site_name']")?.GetAttribute("content");
        var content = article.IsReadable && !string.IsNullOrWhiteSpace(article.Content) ? article.Content : html;
        var document = new HtmlParser().ParseDocument(content);
        var body = BlockText(document);
        var title = FirstNonEmpty(article.Title, document.Title, head.QuerySelector("meta[property='og:title']")?.GetAttribute("content"), head.Title);
        var source = FirstNonEmpty(article.SiteName, siteName, article.Author, article.Byline);
        // SmartReader gives DateTime.MinValue, not null, when it finds no date.
        var published = stated ?? (article.PublicationDate is { Year: > 1900 } date ? DateOnly.FromDateTime(date) : null);
        return new HtmlPage(body, title, source, published, canonical, FirstNonEmpty(article.Byline, article.Author))
        {
            StatedTitle = FirstNonEmpty(head.QuerySelector("meta[property='og:title']")?.GetAttribute("content")),
        };
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

/// <summary>What <see cref="HtmlFormat.Read"/> finds in a page.</summary>
public sealed record HtmlPage(string Text, string? Title, string? Source, DateOnly? Published, string? Canonical, string? Byline)
{
    /// <summary>The title the page states for sharing (<c>og:title</c>): without the site's name that &lt;title&gt; often adds.</summary>
    public string? StatedTitle { get; init; }
}
