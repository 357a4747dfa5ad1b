using System.Text;
using System.Xml;
using ChatBot.Core.Ingestion.Sources;
using ChatBot.Sources.Feeds;
using ChatBot.Sources.Pages;

namespace ChatBot.Tests.Sources;

public sealed class FeedDocumentTests
{
    private static readonly Uri Base = new("https://news.example/");

    private static FeedDocument Parse(string xml) => FeedDocument.Parse(Encoding.UTF8.GetBytes(xml), Base);

    [Fact]
    public void An_rss_feed_lists_its_items_with_link_title_and_date_even_minified()
    {
        var feed = Parse("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Site</title><item><title>Un</title><link>https://news.example/a/1</link><pubDate>Tue, 03 Dec 2024 10:00:00 +0100</pubDate></item><item><guid>https://news.example/a/2</guid><title>Deux</title><pubDate>Wed, 04 Dec 2024 10:00:00 EST</pubDate></item></channel></rss>");

        Assert.Equal(SourceKind.Feed, feed.Kind);
        Assert.Equal(["https://news.example/a/1", "https://news.example/a/2"], feed.Items.Select(i => i.Url.AbsoluteUri));
        Assert.Equal(["Un", "Deux"], feed.Items.Select(i => i.Title));
        Assert.Equal([new DateOnly(2024, 12, 3), new DateOnly(2024, 12, 4)], feed.Items.Select(i => i.Published));
    }

    [Fact]
    public void An_atom_feed_takes_the_alternate_link_and_the_published_date()
    {
        var feed = Parse("""<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title><link rel="self" href="/self"/><link rel="alternate" href="/a/1"/><updated>2024-12-05T00:00:00Z</updated><published>2024-12-01T08:00:00Z</published></entry></feed>""");

        var item = Assert.Single(feed.Items);
        Assert.Equal("https://news.example/a/1", item.Url.AbsoluteUri);
        Assert.Equal(new DateOnly(2024, 12, 1), item.Published);
    }

    [Fact]
    public void A_news_sitemap_gives_the_publication_date_and_title_and_an_index_its_children()
    {
        var news = Parse("""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>https://news.example/a/1</loc><lastmod>2024-12-09</lastmod><news:news><news:publication_date>2024-12-02T07:00:00+01:00</news:publication_date><news:title>Titre</news:title></news:news></url></urlset>""");
        var index = Parse("""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://news.example/s1.xml</loc></sitemap></sitemapindex>""");

        var item = Assert.Single(news.Items);
        Assert.Equal(SourceKind.Sitemap, news.Kind);
        Assert.Equal(new DateOnly(2024, 12, 2), item.Published);
        Assert.Equal("Titre", item.Title);
        Assert.Equal("https://news.example/s1.xml", Assert.Single(index.Sitemaps).AbsoluteUri);
    }

    [Fact]
    public void A_document_type_declaration_is_refused_so_no_external_entity_is_ever_read()
    {
        var xxe = """<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&secret;</title><link>https://news.example/x</link></item></channel></rss>""";
        var bomb = """<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>""";

        Assert.Throws<XmlException>(() => Parse(xxe));
        Assert.Throws<XmlException>(() => Parse(bomb));
    }

    [Fact]
    public void Malformed_xml_and_other_documents_are_a_clear_error()
    {
        Assert.Throws<XmlException>(() => Parse("<rss><channel><item><link>"));
        var other = Assert.Throws<XmlException>(() => Parse("<html><body/></html>"));
        Assert.Contains("not an RSS or Atom feed", other.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://News.Example:443/a/1?utm_source=x&utm_medium=y#top", "https://news.example/a/1")]
    [InlineData("https://news.example/a/1?id=7&fbclid=abc&xtor=RSS-1", "https://news.example/a/1?id=7")]
    [InlineData("http://news.example:8080/a/1?page=2", "http://news.example:8080/a/1?page=2")]
    public void A_canonical_address_drops_tracking_parameters_fragment_default_port_and_host_case(string url, string canonical)
    {
        Assert.Equal(canonical, WebAddress.Canonical(new Uri(url)));
        Assert.Equal(WebAddress.ArticleId(canonical), WebAddress.ArticleId(WebAddress.Canonical(new Uri(url))));
    }

    [Theory]
    [InlineData("ftp://news.example/a")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative/only")]
    [InlineData("")]
    public void Only_absolute_http_addresses_are_sources(string value) => Assert.Null(WebAddress.Parse(value));

    [Fact]
    public void A_body_is_decoded_by_the_header_charset_else_the_page_meta_else_utf8()
    {
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var latin = System.Text.Encoding.GetEncoding("windows-1252");
        var page = "<html><head><meta charset=\"windows-1252\"></head><body><p>Téhéran œuvre à l'été</p></body></html>";

        var byMeta = new ChatBot.Sources.Fetching.FetchResult(ChatBot.Sources.Fetching.FetchStatus.Ok, Base) { Body = latin.GetBytes(page) };
        var byHeader = byMeta with { Body = latin.GetBytes(page.Replace("windows-1252", "x", StringComparison.Ordinal)), Charset = "windows-1252" };
        var utf8 = byMeta with { Body = Encoding.UTF8.GetBytes(page.Replace("windows-1252", "x", StringComparison.Ordinal)) };

        Assert.Contains("Téhéran œuvre à l'été", byMeta.Text(), StringComparison.Ordinal);
        Assert.Contains("Téhéran œuvre à l'été", byHeader.Text(), StringComparison.Ordinal);
        Assert.Contains("Téhéran œuvre à l'été", utf8.Text(), StringComparison.Ordinal);
    }
}
