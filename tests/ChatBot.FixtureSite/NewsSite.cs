using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.FixtureSite;

/// <summary>How a page states its publication date.</summary>
public enum DateStyle
{
    OpenGraph,
    JsonLd,
    TimeElement,
    PublishedLine,
    None,
}

/// <summary>An article of the fixture site.</summary>
public sealed record SiteArticle(string Slug, string Title, DateOnly Published, IReadOnlyList<string> Paragraphs, DateStyle DateStyle = DateStyle.OpenGraph, string? Author = null);

/// <summary>
/// A news site on 127.0.0.1 (Kestrel), for the sources tests and the fetch benchmark: an RSS feed, an Atom feed, a
/// news sitemap and a sitemap index, article pages with their metadata (canonical link, Open Graph, JSON-LD,
/// <c>&lt;time&gt;</c>, a "Publié le" line), robots.txt, conditional GETs (ETag → 304), and hostile cases: a feed with an
/// external entity, malformed XML, a 50 MB page, a gzip bomb, a redirect loop, a server that never answers, HTML served
/// as an image, the same article under two tracking URLs. Every request is recorded.
/// </summary>
public sealed class NewsSite : IAsyncDisposable
{
    public const string SiteName = "Le Quotidien Fixture";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _userAgents = new();
    private readonly List<SiteArticle> _articles = [];
    private readonly Lock _lock = new();
    private byte[]? _bomb;

    private NewsSite(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>robots.txt as served (null: 404).</summary>
    public string? Robots { get; set; } = "User-agent: *\nDisallow: /private/\n";

    /// <summary>When set, robots.txt answers this status (503: unreachable).</summary>
    public int? RobotsStatus { get; set; }

    /// <summary>Articles listed in the feeds that live under /private/ (robots.txt forbids them).</summary>
    public List<string> PrivateSlugs { get; } = [];

    /// <summary>The feed answers 503 while set.</summary>
    public bool FeedDown { get; set; }

    public IReadOnlyCollection<string> Requests => _requests.ToArray();

    public IReadOnlyCollection<string> UserAgents => _userAgents.ToArray();

    public int RequestsTo(string pathPrefix) => _requests.Count(r => r.StartsWith(pathPrefix, StringComparison.Ordinal));

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery);

    public static async Task<NewsSite> StartAsync(IEnumerable<SiteArticle>? articles = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        var site = new NewsSite(app);
        site._articles.AddRange(articles ?? []);
        site.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site.BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        return site;
    }

    public void Add(SiteArticle article)
    {
        lock (_lock)
            _articles.Add(article);
    }

    public void Replace(SiteArticle article)
    {
        lock (_lock)
        {
            _articles.RemoveAll(a => a.Slug == article.Slug);
            _articles.Add(article);
        }
    }

    public void Remove(string slug)
    {
        lock (_lock)
            _articles.RemoveAll(a => a.Slug == slug);
    }

    private List<SiteArticle> Articles()
    {
        lock (_lock)
            return [.. _articles.OrderByDescending(a => a.Published)];
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            _requests.Enqueue(context.Request.Path + context.Request.QueryString);
            _userAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
            await next(context);
        });
        app.MapGet("/robots.txt", () => RobotsStatus is { } code ? Results.StatusCode(code) : Robots is null ? Results.NotFound() : Results.Text(Robots, "text/plain"));
        app.MapGet("/feed.xml", (HttpContext c) => FeedDown ? Results.StatusCode(503) : Conditional(c, Rss(Articles(), PrivateSlugs), "application/rss+xml"));
        app.MapGet("/atom.xml", (HttpContext c) => Conditional(c, Atom(Articles()), "application/atom+xml"));
        app.MapGet("/sitemap.xml", (HttpContext c) => Conditional(c, NewsSitemap(Articles()), "application/xml"));
        app.MapGet("/sitemap-index.xml", (HttpContext c) => Conditional(c, $"""<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{BaseUrl}sitemap.xml</loc></sitemap></sitemapindex>""", "application/xml"));
        app.MapGet("/articles/{slug}", (HttpContext c, string slug) => Articles().FirstOrDefault(a => a.Slug == slug) is { } article
            ? Conditional(c, Page(article, "/articles/"), "text/html; charset=utf-8")
            : Results.NotFound());
        app.MapGet("/private/{slug}", (HttpContext c, string slug) => Conditional(c, Page(new SiteArticle(slug, "Privé", new DateOnly(2025, 1, 1), ["Ce texte ne doit jamais être lu par un robot poli."]), "/private/"), "text/html; charset=utf-8"));

        // Hostile cases.
        app.MapGet("/hostile/xxe.xml", () => Results.Text($"""<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY secret SYSTEM "file:///etc/passwd">]><rss version="2.0"><channel><title>x</title><item><title>&secret;</title><link>{BaseUrl}articles/none</link></item></channel></rss>""", "application/rss+xml"));
        app.MapGet("/hostile/malformed.xml", () => Results.Text("<?xml version=\"1.0\"?><rss><channel><item><title>cassé</title><link>", "application/rss+xml"));
        app.MapGet("/hostile/feed.xml", () => Results.Text(Rss(
        [
            new SiteArticle("huge", "Énorme", new DateOnly(2025, 2, 1), []),
            new SiteArticle("bomb", "Bombe", new DateOnly(2025, 2, 2), []),
            new SiteArticle("loop", "Boucle", new DateOnly(2025, 2, 3), []),
            new SiteArticle("hang", "Muet", new DateOnly(2025, 2, 4), []),
            new SiteArticle("image", "Image", new DateOnly(2025, 2, 5), []),
        ], [], "/hostile/"), "application/rss+xml"));
        app.MapGet("/hostile/huge", async (HttpContext c) =>
        {
            // 50 MB, no Content-Length: only counting stops it.
            c.Response.ContentType = "text/html";
            var block = Encoding.UTF8.GetBytes("<p>" + new string('x', 65_000) + "</p>");
            for (var sent = 0L; sent < 50L * 1024 * 1024 && !c.RequestAborted.IsCancellationRequested; sent += block.Length)
                await c.Response.Body.WriteAsync(block, c.RequestAborted);
        });
        app.MapGet("/hostile/bomb", async (HttpContext c) =>
        {
            c.Response.ContentType = "text/html";
            c.Response.Headers.ContentEncoding = "gzip";
            var bomb = Bomb();
            c.Response.ContentLength = bomb.Length;
            await c.Response.Body.WriteAsync(bomb, c.RequestAborted);
        });
        app.MapGet("/hostile/loop", () => Results.Redirect("/hostile/loop-again"));
        app.MapGet("/hostile/loop-again", () => Results.Redirect("/hostile/loop"));
        app.MapGet("/hostile/hang", async (HttpContext c) =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, c.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // the client gave up, as it should
            }
        });
        app.MapGet("/hostile/image", () => Results.Text(Page(new SiteArticle("image", "Une image", new DateOnly(2025, 3, 1), ["Ceci est du HTML servi comme une image PNG."]), "/hostile/"), "image/png"));
        app.MapGet("/hostile/tracking.xml", () => Results.Text(
            $"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Suivi</title><item><title>Deux liens</title><link>{BaseUrl}articles/{Articles()[0].Slug}?utm_source=newsletter&amp;utm_medium=email</link></item><item><title>Deux liens</title><link>{BaseUrl}articles/{Articles()[0].Slug}?fbclid=abc123</link></item></channel></rss>""",
            "application/rss+xml"));
    }

    /// <summary>A body sent as-is with an ETag; If-None-Match with it gets 304 and no body.</summary>
    private static IResult Conditional(HttpContext context, string body, string contentType)
    {
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..16] + "\"";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            context.Response.Headers.ETag = etag;
            return Results.StatusCode(304);
        }
        context.Response.Headers.ETag = etag;
        return Results.Text(body, contentType);
    }

    private byte[] Bomb()
    {
        if (_bomb is not null)
            return _bomb;
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1024 * 1024];
            gzip.Write("<html><body><p>"u8);
            for (var i = 0; i < 256; i++) // 256 MB once decompressed, ~250 KB sent
                gzip.Write(zeros);
        }
        return _bomb = output.ToArray();
    }

    private string Rss(List<SiteArticle> articles, List<string> privateSlugs, string folder = "/articles/")
    {
        var items = new StringBuilder();
        foreach (var a in articles)
            items.Append(CultureInfo.InvariantCulture, $"<item><title>{Xml(a.Title)}</title><link>{BaseUrl}{folder.TrimStart('/')}{a.Slug}</link><guid isPermaLink=\"false\">{a.Slug}</guid><pubDate>{a.Published.ToDateTime(new TimeOnly(8, 30)):ddd, dd MMM yyyy HH:mm:ss} +0000</pubDate></item>\n");
        foreach (var slug in privateSlugs)
            items.Append(CultureInfo.InvariantCulture, $"<item><title>Privé</title><link>{BaseUrl}private/{slug}</link></item>\n");
        return $"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{SiteName}</title><link>{BaseUrl}</link>{items}</channel></rss>""";
    }

    private string Atom(List<SiteArticle> articles)
    {
        var entries = new StringBuilder();
        foreach (var a in articles)
            entries.Append(CultureInfo.InvariantCulture, $"<entry><title>{Xml(a.Title)}</title><link rel=\"alternate\" href=\"{BaseUrl}articles/{a.Slug}\"/><id>urn:fixture:{a.Slug}</id><published>{a.Published:yyyy-MM-dd}T08:30:00Z</published><updated>{a.Published:yyyy-MM-dd}T09:00:00Z</updated></entry>\n");
        return $"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{SiteName}</title>{entries}</feed>""";
    }

    private string NewsSitemap(List<SiteArticle> articles)
    {
        var urls = new StringBuilder();
        foreach (var a in articles)
            urls.Append(CultureInfo.InvariantCulture, $"<url><loc>{BaseUrl}articles/{a.Slug}</loc><news:news><news:publication><news:name>{SiteName}</news:name><news:language>fr</news:language></news:publication><news:publication_date>{a.Published:yyyy-MM-dd}</news:publication_date><news:title>{Xml(a.Title)}</news:title></news:news></url>\n");
        return $"""<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>""";
    }

    private string Page(SiteArticle a, string folder)
    {
        var date = a.Published.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var meta = a.DateStyle switch
        {
            DateStyle.OpenGraph => $"<meta property=\"article:published_time\" content=\"{date}T08:30:00+00:00\">",
            DateStyle.JsonLd => $"<script type=\"application/ld+json\">{{\"@context\":\"https://schema.org\",\"@type\":\"NewsArticle\",\"headline\":\"{a.Title}\",\"datePublished\":\"{date}T08:30:00Z\"}}</script>",
            _ => "",
        };
        var time = a.DateStyle == DateStyle.TimeElement ? $"<time datetime=\"{date}\">{date}</time>" : "";
        var published = a.DateStyle == DateStyle.PublishedLine
            ? $"<p class=\"date\">Publié le {a.Published.Day} {Months[a.Published.Month - 1]} {a.Published.Year}</p>"
            : "";
        var paragraphs = string.Concat(a.Paragraphs.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>\n"));
        return $"""
            <!DOCTYPE html>
            <html lang="fr"><head><meta charset="utf-8">
            <title>{WebUtility.HtmlEncode(a.Title)} | {SiteName}</title>
            <link rel="canonical" href="{BaseUrl}{folder.TrimStart('/')}{a.Slug}">
            <meta property="og:site_name" content="{SiteName}">
            <meta property="og:title" content="{WebUtility.HtmlEncode(a.Title)}">
            {meta}
            </head><body>
            <header><nav><a href="/">Accueil</a> <a href="/monde">Monde</a> <a href="/abonnement">Abonnez-vous</a></nav></header>
            <main><article>
            <h1>{WebUtility.HtmlEncode(a.Title)}</h1>
            {(a.Author is null ? "" : $"<p class=\"byline\">Par {WebUtility.HtmlEncode(a.Author)}</p>")}
            {time}{published}
            {paragraphs}
            </article></main>
            <footer><p>© {SiteName}. Tous droits réservés.</p></footer>
            </body></html>
            """;
    }

    private static readonly string[] Months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];

    private static string Xml(string text) => WebUtility.HtmlEncode(text);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
