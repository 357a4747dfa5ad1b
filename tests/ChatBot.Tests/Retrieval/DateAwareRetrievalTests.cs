using ChatBot.Core.Retrieval;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Retrieval;

public sealed class DateAwareRetrievalTests
{
    private static readonly DateOnly Today = new(2026, 11, 22);

    [Theory]
    [InlineData("Les nouvelles du mois dernier", "2026-10-22", null, false, "Les nouvelles du")]
    [InlineData("Quoi de neuf depuis juin sur l'Iran ?", "2026-06-01", null, false, "Quoi de neuf sur l'Iran ?")]
    [InlineData("What happened since December?", "2025-12-01", null, false, "What happened ?")]
    [InlineData("Les nouvelles de cette semaine", "2026-11-15", null, false, "Les nouvelles de")]
    [InlineData("Que dit le dernier article sur l'Iran ?", null, null, true, "Que dit sur l'Iran ?")]
    [InlineData("What did the latest article say?", null, null, true, "What did the article say?")]
    public void Date_expressions_become_ranges_or_a_wish_for_the_newest(string question, string? from, string? to, bool newest, string remainder)
    {
        var intent = DateIntents.Parse(question, Today);

        Assert.Equal(from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), intent.From);
        Assert.Equal(to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), intent.To);
        Assert.Equal(newest, intent.Newest);
        Assert.Equal(remainder, intent.Remainder);
    }

    [Theory]
    [InlineData("Que disait-on en 2015 de Poutine ?", "2015-01-01", "2015-12-31")]
    [InlineData("Poutine en novembre 2015", "2015-11-01", "2015-11-30")]
    [InlineData("Avant 2020, la Russie livrait-elle des S-300 ?", null, "2019-12-31")]
    public void Years_and_months_favour_articles_of_that_period_and_stay_in_the_question(string question, string? from, string? to)
    {
        var intent = DateIntents.Parse(question, Today);

        Assert.False(intent.HasRange);
        Assert.Equal(from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), intent.PreferredFrom);
        Assert.Equal(to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), intent.PreferredTo);
        Assert.Equal(question, intent.Remainder);
    }

    [Fact]
    public void A_question_without_dates_is_left_alone() =>
        Assert.True(DateIntents.Parse("Quelles technologies militaires Moscou fournit-elle à Téhéran ?", Today).IsEmpty);

    [Fact]
    public async Task A_year_puts_articles_published_that_year_first()
    {
        await using var bot = new TestBot(seedCorpus: false);
        File.WriteAllLines(bot.ArticlePath("bilans.jsonl"),
        [
            """{"id": "bilan-2021", "title": "Bilan annuel des échanges", "published": "2021-12-30", "text": "Les échanges commerciaux entre Moscou et Téhéran ont progressé, selon le bilan annuel des douanes russes."}""",
            """{"id": "bilan-2023", "title": "Bilan annuel des échanges", "published": "2023-12-29", "text": "Les échanges commerciaux entre Moscou et Téhéran ont progressé, selon le bilan annuel des douanes russes."}""",
            """{"id": "bilan-sans-date", "title": "Bilan annuel des échanges", "text": "Les échanges commerciaux entre Moscou et Téhéran ont progressé, selon le bilan annuel des douanes russes."}""",
        ]);

        var in2021 = await bot.AskAsync("Comment ont évolué les échanges commerciaux entre Moscou et Téhéran en 2021 ?");
        var in2023 = await bot.AskAsync("Comment ont évolué les échanges commerciaux entre Moscou et Téhéran en 2023 ?");

        Assert.Equal("bilan-2021", in2021.Citations[0].ArticleId);
        Assert.Equal("bilan-2023", in2023.Citations[0].ArticleId);
    }

    [Fact]
    public async Task A_relative_period_keeps_only_articles_published_in_it_never_an_undated_one()
    {
        await using var bot = new TestBot();
        var published = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        bot.WriteArticle("recent.md", "# Un accord signé cette semaine\n\nPublié le " + published + "\n\nLa Russie et l'Iran ont signé un accord sur le gaz, annonce le Kremlin dans un communiqué.\n");

        var reply = await bot.AskAsync("Qu'ont signé la Russie et l'Iran cette semaine ?");

        Assert.Equal("recent", Assert.Single(reply.Citations).ArticleId);
    }

    [Fact]
    public async Task A_period_without_articles_is_declined()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Que s'est-il passé en 2019 entre la Russie et l'Iran ?");

        Assert.False(reply.Grounded);
        Assert.Empty(reply.Citations);
    }

    [Theory]
    [InlineData("Que dit l'article le plus récent sur l'Iran ?")]
    [InlineData("What did the latest article say about Iran?")]
    [InlineData("Quel est le dernier article ?")]
    public async Task The_newest_article_comes_first_when_asked_for(string question)
    {
        await using var bot = new TestBot(seedCorpus: false);
        // Three made-up articles: dated by a "Publié le" line, by a dateline, and one whose only date is the site's clock
        // when the page was saved: that one is undated, never the newest.
        File.WriteAllText(bot.ArticlePath("ancien.txt"), "Publié le 3 mars 2016\nL'Iran et la Russie signent un accord gazier\nL'Iran et la Russie ont signé un accord sur le gaz, a annoncé Téhéran.\n");
        File.WriteAllText(bot.ArticlePath("recent.txt"), "12 janvier 2019\nL'Iran reçoit une délégation russe à Téhéran\nL'Iran a reçu une délégation russe pour parler de coopération militaire.\n");
        File.WriteAllText(bot.ArticlePath("horloge.txt"), "24-11-2024 02:55 AM Jerusalem Timing\nL'Iran et Moscou parlent de défense aérienne\nL'Iran et la Russie ont évoqué des systèmes de défense aérienne, selon Moscou.\n");
        await bot.SyncAsync();

        var reply = await bot.AskAsync(question);

        Assert.True(reply.Grounded);
        Assert.Equal("recent", reply.Citations[0].ArticleId);
        Assert.Equal(new DateOnly(2019, 1, 12), reply.Citations[0].Published);
        Assert.Null((await bot.Store.GetArticleAsync("horloge", TestContext.Current.CancellationToken))!.Published);
    }
}
