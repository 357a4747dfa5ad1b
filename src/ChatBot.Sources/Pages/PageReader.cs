using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Sources.Feeds;
using ChatBot.Sources.Fetching;

namespace ChatBot.Sources.Pages;

/// <summary>
/// A fetched page as an article of the corpus: the main text (the same readability extraction as the corpus's .html
/// files), the title, the source (the site's name), and the publication date from metadata, in order: the feed item's
/// date, <c>article:published_time</c>, JSON-LD <c>datePublished</c>, <c>&lt;time datetime&gt;</c>, a "Publié le" line
/// (found by the cleaner) — never the time it was fetched. Its identity is the canonical URL, tracking parameters
/// removed; the content hash covers what the article becomes, not the page's changing furniture.
/// </summary>
public static class PageReader
{
    public static (SourceDocument? Document, string Canonical, string? Problem) Read(FetchResult fetched, FeedItem? item)
    {
        var html = fetched.Text();
        var page = HtmlFormat.Read(html, fetched.Url.AbsoluteUri);
        var canonicalUri = WebAddress.Parse(page.Canonical, fetched.Url) is { } stated && stated.Host.Equals(fetched.Url.Host, StringComparison.OrdinalIgnoreCase)
            ? stated // a canonical link to another site is not trusted to name this page
            : fetched.Url;
        var canonical = WebAddress.Canonical(canonicalUri);
        if (page.Text.Length == 0)
            return (null, canonical, "no readable text in this page");
        var title = page.StatedTitle ?? item?.Title ?? page.Title;
        var published = item?.Published ?? page.Published;
        var source = page.Source ?? fetched.Url.Host;
        var hash = ContentHash.Of(page.Text, title, source, published?.ToString("O", System.Globalization.CultureInfo.InvariantCulture), canonical);
        return (new SourceDocument(WebAddress.ArticleId(canonical), canonical, page.Text, hash, title, source, published, canonical), canonical, null);
    }
}
