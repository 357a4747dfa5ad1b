using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Corpus;

public sealed class BoilerplateCleanerTests
{
    private static CleanedText Clean(string id) => BoilerplateCleaner.Default.Clean(Fixture.SeedText(id));

    public static TheoryData<string> SeedIds => new(Fixture.SeedFiles.Select(Path.GetFileNameWithoutExtension).Select(id => id!));

    [Theory]
    [MemberData(nameof(SeedIds))]
    public void Seed_article_body_keeps_no_page_furniture(string id)
    {
        var cleaned = Clean(id);

        Assert.Null(Boilerplate.FindIn(cleaned.Text));
        Assert.False(string.IsNullOrWhiteSpace(cleaned.Title));
        Assert.False(cleaned.Text.StartsWith(cleaned.Title!, StringComparison.Ordinal), "the title must not be repeated at the top of the body");
        Assert.True(cleaned.Text.Length > 800, "the article's prose must survive");
    }

    [Fact]
    public void Trailing_related_links_block_is_cut()
    {
        var cleaned = Clean("000_47b6786323e8e5c6");

        Assert.DoesNotContain("Moscou et Téhéran unis contre les sanctions", cleaned.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("échanger 48 enfants", cleaned.Text, StringComparison.Ordinal);
        Assert.EndsWith("dans les jours à venir.", cleaned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Teaser_before_the_advert_and_lead_repeated_as_first_sentence_appear_once()
    {
        var euronews = Clean("000_47b6786323e8e5c6").Text;
        var afp = Clean("001_fed1096211e3137f").Text;

        Assert.Equal(1, Count(euronews, "Les avions russes ne décolleront plus de l’Iran"));
        Assert.Equal(1, Count(afp, "Les deux principaux alliés de Damas s’insurgent"));
        Assert.Contains("défend mordicus Bachar el-Assad", afp, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedded_tweet_and_navigation_fragments_are_removed()
    {
        var afp = Clean("001_fed1096211e3137f").Text;
        var rt = Clean("004_d14a4ba0e42e9e1f").Text;

        Assert.DoesNotContain("Entente parfaite", afp, StringComparison.Ordinal);
        Assert.DoesNotContain("@afpfr", afp, StringComparison.Ordinal);
        Assert.DoesNotContain("Nouvelles", rt.Split("\n\n")[0], StringComparison.Ordinal);
        Assert.DoesNotContain("à l'étage", rt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("000_47b6786323e8e5c6", "La Russie n'utilisera plus de base iranienne pour frapper en Syrie", "Euronews", null)]
    [InlineData("001_fed1096211e3137f", "Iran : Poutine aux côtés de Khamenei pour renouveler leur soutien à Damas", "Ariane Tilve, AFP", "2015-11-23")]
    // 002 and 003 open with the site's clock when the pages were saved ("24-11-2024 02:55 AM Jerusalem Timing"): undated.
    [InlineData("002_4fced6dc993173a8", "Moscou et Téhéran prêts à \"renforcer\" leur coopération militaire", "AFP", null)]
    [InlineData("003_0192d13fbff41adc", "Lutte contre l’EI: Washington prône une plus grande implication russe", null, null)]
    [InlineData("004_d14a4ba0e42e9e1f", "Poutine : L'Iran n'a pas demandé d'aide militaire à la Russie", null, null)]
    public void Metadata_is_read_from_bylines_and_datelines(string id, string title, string? source, string? published)
    {
        var cleaned = Clean(id);

        Assert.Equal(title, cleaned.Title);
        Assert.Equal(source, cleaned.Source);
        Assert.Equal(published is null ? null : DateOnly.Parse(published, System.Globalization.CultureInfo.InvariantCulture), cleaned.Published);
    }

    [Theory]
    [InlineData("07-03-2021 11:42 PM Beirut Timing\nUn titre d'article inventé pour le test\nLe ministre a visité la ville hier et parlé aux habitants du quartier.", null)]
    [InlineData("Mis à jour 07-03-2021 à 11h42\nUn titre d'article inventé pour le test\nLe ministre a visité la ville hier et parlé aux habitants du quartier.", "2021-03-07")]
    [InlineData("07-03-2021 11:42 PM Beirut Timing\nUn titre d'article inventé pour le test\nPublié le 12 février 2016\nLe ministre a visité la ville hier et parlé aux habitants du quartier.", "2016-02-12")]
    [InlineData("Un titre d'article inventé pour le test\n12 février 2016\nLe ministre a visité la ville hier et parlé aux habitants du quartier.", "2016-02-12")]
    public void A_page_clock_is_not_a_publication_date_but_a_publication_line_is(string raw, string? published)
    {
        var cleaned = BoilerplateCleaner.Default.Clean(raw);

        Assert.Equal(published is null ? null : DateOnly.Parse(published, System.Globalization.CultureInfo.InvariantCulture), cleaned.Published);
        Assert.DoesNotContain("Timing", cleaned.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Phrase_lists_come_from_the_data_file_and_apply_to_any_article()
    {
        var raw = """
            Un titre d'article assez long pour en être un

            Suivez-nous sur les réseaux
            Le premier paragraphe dit quelque chose d'important sur la situation.
            Abonnez-vous à notre newsletter
            Le second paragraphe ajoute un détail utile pour le lecteur attentif.
            Lire aussi
            Un autre article sans rapport
            """;

        var cleaned = BoilerplateCleaner.Default.Clean(raw);

        Assert.Equal("Un titre d'article assez long pour en être un", cleaned.Title);
        Assert.Equal(
            "Le premier paragraphe dit quelque chose d'important sur la situation.\n\nLe second paragraphe ajoute un détail utile pour le lecteur attentif.",
            cleaned.Text);
    }

    [Fact]
    public void A_short_sentence_that_mentions_a_widget_word_is_kept()
    {
        var cleaned = BoilerplateCleaner.Default.Clean("Titre de l'article ici\n\nLe ministre a refusé tout commentaire sur la publicité.\n");

        Assert.Equal("Le ministre a refusé tout commentaire sur la publicité.", cleaned.Text);
    }

    private static int Count(string text, string fragment)
    {
        var count = 0;
        for (var i = text.IndexOf(fragment, StringComparison.Ordinal); i >= 0; i = text.IndexOf(fragment, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
