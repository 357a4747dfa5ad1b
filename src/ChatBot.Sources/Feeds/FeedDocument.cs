using System.Globalization;
using System.Xml;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Core.Ingestion.Sources;
using ChatBot.Sources.Pages;

namespace ChatBot.Sources.Feeds;

/// <summary>An article a feed or sitemap points to, with what it says of it (title, date).</summary>
public sealed record FeedItem(Uri Url, string? Title, DateOnly? Published);

/// <summary>
/// What a feed or sitemap lists: RSS 2.0 (and RSS 1.0/RDF) items, Atom entries, sitemap URLs (news sitemaps'
/// <c>news:publication_date</c> and <c>news:title</c> read), or a sitemap index's child sitemaps. Read with
/// <see cref="XmlReader"/>, DTDs prohibited (no external entity, no entity expansion) and no resolver.
/// </summary>
public sealed record FeedDocument(SourceKind Kind, IReadOnlyList<FeedItem> Items, IReadOnlyList<Uri> Sitemaps)
{
    public static XmlReaderSettings Settings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        MaxCharactersInDocument = 64L * 1024 * 1024,
        Async = false,
    };

    /// <summary>Parses <paramref name="body"/>; throws <see cref="XmlException"/> (one line) when it is not a feed or sitemap.</summary>
    public static FeedDocument Parse(byte[] body, Uri baseUrl)
    {
        using var stream = new MemoryStream(body, writable: false);
        using var reader = XmlReader.Create(stream, Settings);
        reader.MoveToContent();
        var root = reader.LocalName;
        return root switch
        {
            "rss" or "RDF" => Read(reader, SourceKind.Feed, "item", baseUrl),
            "feed" => Read(reader, SourceKind.Feed, "entry", baseUrl),
            "urlset" => Read(reader, SourceKind.Sitemap, "url", baseUrl),
            "sitemapindex" => Read(reader, SourceKind.Sitemap, "sitemap", baseUrl),
            _ => throw new XmlException($"<{root}> is not an RSS or Atom feed nor a sitemap"),
        };
    }

    private static FeedDocument Read(XmlReader reader, SourceKind kind, string itemName, Uri baseUrl)
    {
        var items = new List<FeedItem>();
        var sitemaps = new List<Uri>();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != itemName)
                continue;
            using var item = reader.ReadSubtree();
            string? link = null, title = null, date = null, rdfAbout = itemName == "item" ? reader.GetAttribute("about", "http://www.w3.org/1999/02/22-rdf-syntax-ns#") : null;
            var rank = int.MaxValue;
            // ReadElementContentAsString leaves the reader on the next node already: it is not read past.
            var more = item.Read();
            while (more)
            {
                if (item.NodeType != XmlNodeType.Element || item.Depth == 0)
                {
                    more = item.Read();
                    continue;
                }
                switch (item.LocalName)
                {
                    case "link" when item.GetAttribute("href") is { } href:
                        // Atom: rel="alternate" (or no rel) is the article.
                        if (item.GetAttribute("rel") is null or "alternate" && link is null)
                            link = href;
                        break;
                    case "link" or "loc" when !item.IsEmptyElement:
                        var text = item.ReadElementContentAsString();
                        link ??= text;
                        more = !item.EOF;
                        continue;
                    case "guid" when !item.IsEmptyElement && item.GetAttribute("isPermaLink") is not "false":
                        var guid = item.ReadElementContentAsString();
                        if (link is null && WebAddress.Parse(guid) is not null)
                            link = guid;
                        more = !item.EOF;
                        continue;
                    case "title" when !item.IsEmptyElement:
                        var heading = item.ReadElementContentAsString();
                        title ??= heading;
                        more = !item.EOF;
                        continue;
                    // The most trusted date: a news sitemap's publication date, an Atom entry's, an RSS pubDate, then modification dates.
                    case "publication_date" or "published" or "pubDate" or "date" or "issued" or "updated" or "lastmod" or "modified" when !item.IsEmptyElement:
                        var r = Array.IndexOf(DateRanks, item.LocalName);
                        var value = item.ReadElementContentAsString();
                        if (r < rank)
                        {
                            rank = r;
                            date = value;
                        }
                        more = !item.EOF;
                        continue;
                }
                more = item.Read();
            }
            var url = WebAddress.Parse(link ?? rdfAbout, baseUrl);
            if (url is null)
                continue;
            if (itemName == "sitemap")
                sitemaps.Add(url);
            else
                items.Add(new FeedItem(url, Clean(title), ParseDate(date)));
        }
        return new FeedDocument(kind, items, sitemaps);
    }

    private static readonly string[] DateRanks = ["publication_date", "published", "pubDate", "date", "issued", "updated", "modified", "lastmod"];

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : string.Join(' ', value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>RFC 822 (RSS), RFC 3339 / W3C (Atom, sitemaps), or the dates French sites write.</summary>
    public static DateOnly? ParseDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        var text = value.Trim();
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out var parsed))
            return DateOnly.FromDateTime(parsed.UtcDateTime);
        // "Mon, 02 Dec 2024 10:00:00 GMT" with a zone name .NET does not know ("EST", "CET"): the date part is enough.
        var withoutZone = System.Text.RegularExpressions.Regex.Replace(text, @"\s+[A-Z]{2,5}$", "");
        if (DateTimeOffset.TryParse(withoutZone, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out parsed))
            return DateOnly.FromDateTime(parsed.UtcDateTime);
        return DateParsing.ParseValue(text) ?? DateParsing.Find(text);
    }
}
