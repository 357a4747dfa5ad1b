using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Corpus;

public sealed class DocumentFormatTests
{
    [Fact]
    public void Markdown_title_is_the_first_heading_and_inline_markup_is_dropped()
    {
        var markdown = """
            # Sanctions : **Moscou** et Téhéran font front

            Le texte principal cite un [communiqué officiel](https://example.org/c) publié
            mardi, sur deux lignes.

            - un point de liste assez long pour compter comme une phrase complète.
            """;

        var parsed = new MarkdownFormat().Parse("a.md", "a", markdown);

        var document = Assert.Single(parsed.Documents);
        Assert.Equal("Sanctions : Moscou et Téhéran font front", document.Title);
        Assert.Contains("Le texte principal cite un communiqué officiel publié mardi, sur deux lignes.", document.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", document.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("**", document.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_main_text_is_extracted_without_navigation_or_scripts()
    {
        var html = """
            <html><head><title>Moscou et Téhéran signent un accord</title>
            <meta property="og:site_name" content="Le Journal" /></head>
            <body>
              <nav><ul><li><a href="/">Accueil</a></li><li><a href="/monde">Monde</a></li></ul></nav>
              <script>var tracking = "ne doit jamais apparaître";</script>
              <article>
                <h1>Moscou et Téhéran signent un accord</h1>
                <p>La Russie et l'Iran ont signé mardi un accord de coopération militaire portant sur dix ans, a annoncé le ministère russe de la Défense dans un communiqué publié à Moscou.</p>
                <p>Selon ce texte, les deux pays coordonneront leurs exercices et échangeront des officiers, une première depuis la fin de la guerre froide selon plusieurs experts interrogés.</p>
                <p>Les diplomates occidentaux ont réagi avec prudence à cette annonce, en rappelant les sanctions qui visent toujours les deux capitales et leurs industries d'armement.</p>
              </article>
              <footer>Partager cet article</footer>
            </body></html>
            """;

        var parsed = new HtmlFormat().Parse("accord.html", "accord", html);

        var document = Assert.Single(parsed.Documents);
        Assert.Equal("Moscou et Téhéran signent un accord", document.Title);
        Assert.Contains("accord de coopération militaire portant sur dix ans", document.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("tracking", document.RawText, StringComparison.Ordinal);
        Assert.DoesNotContain("Accueil", document.RawText, StringComparison.Ordinal);
    }

    [Fact]
    public void Jsonl_reads_one_article_a_line_and_reports_bad_lines_by_number()
    {
        var jsonl = """
            {"id": "a1", "title": "Premier", "text": "Le premier article parle de diplomatie.", "published": "2024-03-05", "source": "AFP", "url": "https://example.org/a1"}
            not json at all
            {"id": "a2", "title": "Sans texte"}
            {"title": "Sans identifiant", "text": "Un article sans id reçoit celui du fichier et de la ligne."}
            {"id": "a1", "title": "Doublon", "text": "Même identifiant que la première ligne."}
            """;

        var parsed = new JsonLinesFormat().Parse("lot.jsonl", "lot", jsonl);

        Assert.Equal(["a1", "lot-4"], parsed.Documents.Select(d => d.Id));
        var first = parsed.Documents[0];
        Assert.Equal(("Premier", "AFP", new DateOnly(2024, 3, 5), "https://example.org/a1"), (first.Title, first.Source, first.Published, first.Url));
        Assert.Collection(parsed.Warnings,
            w => Assert.StartsWith("lot.jsonl:2: invalid JSON", w.ToString(), StringComparison.Ordinal),
            w => Assert.Equal("lot.jsonl:3: no \"text\"; line skipped", w.ToString()),
            w => Assert.Equal("lot.jsonl:5: duplicate id \"a1\"; line skipped", w.ToString()));
    }

    [Theory]
    [InlineData("<meta property=\"article:published_time\" content=\"2015-11-23T08:00:00Z\">", "2015-11-23")]
    [InlineData("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"NewsArticle\",\"datePublished\":\"2016-08-22\"}]}</script>", "2016-08-22")]
    [InlineData("<script type=\"application/ld+json\">{ broken json</script><meta name=\"pubdate\" content=\"2017-01-05\">", "2017-01-05")]
    [InlineData("", "2018-06-30")] // only the <time datetime> of the body
    public void An_html_page_is_dated_by_its_publication_metadata_never_by_its_clock(string head, string expected)
    {
        var html = $"""
            <html><head><title>Un article inventé</title>{head}</head><body><article>
            <p>24-11-2024 02:55 AM Jerusalem Timing</p>
            <h1>Un article inventé</h1>
            <p><time datetime="2018-06-30">30 juin 2018</time></p>
            <p>Le ministre a visité la ville hier et parlé longuement aux habitants du quartier, qui attendaient des réponses sur la reconstruction.</p>
            <p>Il a promis de revenir le mois prochain avec un plan détaillé et des moyens pour les familles les plus touchées.</p>
            </article></body></html>
            """;
        using var folder = new TempFolder();
        var path = folder.Combine("page.html");
        File.WriteAllText(path, html);

        var document = new HtmlFormat().Parse(path, "page", html).Documents.Single();

        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), document.Published);
    }
}
