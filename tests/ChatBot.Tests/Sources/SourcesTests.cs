using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Ingestion.Sources;
using ChatBot.FixtureSite;
using ChatBot.Sources;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Sources;

/// <summary>Feeds, sitemaps and pages in, against a real local news site: the articles, their dates, their identity, the schedule, the failures.</summary>
public sealed class SourcesTests
{
    /// <summary>
    /// A bot following <paramref name="feeds"/> of <paramref name="site"/>. Its requests time out after 30 s: only the
    /// tests of the server that never answers shorten that (<see cref="HangsUp"/>), so that a loaded machine never
    /// turns a slow answer into a timeout.
    /// </summary>
    internal static TestBot BotFor(NewsSite site, params string[] feeds)
    {
        var bot = new TestBot();
        for (var i = 0; i < feeds.Length; i++)
            bot.Settings[$"ChatBot:Sources:Feeds:{i}"] = site.Url(feeds[i]).AbsoluteUri;
        bot.Settings["ChatBot:Sources:PerHostIntervalMs"] = "0";
        bot.Settings["ChatBot:Sources:TimeoutSeconds"] = "30";
        bot.Settings["ChatBot:Sources:Retries"] = "0";
        return bot;
    }

    /// <summary>For the tests where the site's hanging page must time out: 2 s.</summary>
    private static TestBot HangsUp(TestBot bot)
    {
        bot.Settings["ChatBot:Sources:TimeoutSeconds"] = "2";
        return bot;
    }

    private static SourceSync Sync(TestBot bot) => bot.Services.GetRequiredService<SourceSync>();

    private static async Task<ChatBot.Core.Ingestion.Corpus.Article> StoredAsync(TestBot bot, SiteArticle article, NewsSite site) =>
        await bot.Store.GetArticleAsync(ChatBot.Sources.Pages.WebAddress.ArticleId(site.Url("articles/" + article.Slug).AbsoluteUri), Ct)
        ?? throw new InvalidOperationException($"{article.Slug} not stored");

    [Theory]
    [InlineData("feed.xml")]
    [InlineData("atom.xml")]
    [InlineData("sitemap.xml")]
    [InlineData("sitemap-index.xml")]
    public async Task Every_article_a_feed_or_sitemap_lists_is_stored_with_its_title_site_address_and_date(string feed)
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site, feed);

        var poll = Assert.Single(await Sync(bot).PollAllAsync(Ct));

        Assert.True(poll.Succeeded, poll.Error);
        Assert.Equal(5, poll.Added);
        var escadre = await StoredAsync(bot, SiteArticles.Escadre, site);
        Assert.Equal(SiteArticles.Escadre.Title, escadre.Title);
        Assert.Equal(NewsSite.SiteName, escadre.Source);
        Assert.Equal(site.Url("articles/" + SiteArticles.Escadre.Slug).AbsoluteUri, escadre.Url);
        Assert.Contains("Bandar Abbas, port iranien du golfe Persique", escadre.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Abonnez-vous", escadre.Text, StringComparison.Ordinal); // page furniture is not the article
        foreach (var article in SiteArticles.All)
            Assert.Equal(article.Published, (await StoredAsync(bot, article, site)).Published);
    }

    [Theory]
    [InlineData("escadre-bandar-abbas", "2025-03-03")] // article:published_time
    [InlineData("drones-shahed", "2025-02-10")] // JSON-LD datePublished
    [InlineData("accord-gazier", "2025-01-20")] // <time datetime>
    [InlineData("exportations-ble", "2024-12-05")] // a "Publié le" line
    [InlineData("centrale-bouchehr", null)] // nothing: undated, never the day it was fetched
    public async Task Without_a_feed_date_a_page_is_dated_by_its_metadata_and_never_by_the_fetch(string slug, string? date)
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site);

        var outcome = await Sync(bot).IngestPageAsync(site.Url("articles/" + slug), null, Ct);

        Assert.Null(outcome.Problem);
        Assert.Equal(date is null ? null : DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture), outcome.Ingest!.Article.Published);
    }

    [Fact]
    public async Task A_question_is_answered_from_a_fetched_article_cited_with_its_title_and_link()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site, "feed.xml");
        await Sync(bot).PollAllAsync(Ct);

        var reply = await bot.AskAsync("Quel port iranien a accueilli la flottille russe de la Caspienne ?");

        Assert.True(reply.Grounded, reply.Text);
        var citation = reply.Citations[0];
        Assert.Equal(SiteArticles.Escadre.Title, citation.Title);
        Assert.Equal(site.Url("articles/" + SiteArticles.Escadre.Slug).AbsoluteUri, citation.Url);
        Assert.Equal(new DateOnly(2025, 3, 3), citation.Published);
    }

    [Fact]
    public async Task An_unchanged_feed_costs_one_request_and_an_article_reached_by_two_tracking_links_is_one()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site, "feed.xml", "hostile/tracking.xml");
        await Sync(bot).PollAllAsync(Ct);
        var before = site.Requests.Count;
        var articles = (await bot.Store.ListArticlesAsync(Ct)).Count;

        var again = await Sync(bot).PollAsync(site.Url("feed.xml").AbsoluteUri, Ct);

        Assert.Equal(0, again.Listed); // 304
        Assert.Equal(["/feed.xml"], site.Requests.Skip(before));
        Assert.Equal(5, articles); // the site's 5: the tracking links added none
    }

    [Fact]
    public async Task A_changed_page_is_indexed_again_and_a_page_gone_leaves_the_index()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site, "sitemap.xml");
        await Sync(bot).PollAllAsync(Ct);

        site.Replace(SiteArticles.Gaz with { Paragraphs = [.. SiteArticles.Gaz.Paragraphs, "Le contrat a finalement été signé à Bakou en présence des deux ministres."] });
        var changed = await Sync(bot).IngestPageAsync(site.Url("articles/" + SiteArticles.Gaz.Slug), null, Ct);
        var unchanged = await Sync(bot).IngestPageAsync(site.Url("articles/" + SiteArticles.Drones.Slug), null, Ct);
        site.Remove(SiteArticles.Ble.Slug);
        var gone = await Sync(bot).IngestPageAsync(site.Url("articles/" + SiteArticles.Ble.Slug), null, Ct);

        Assert.Equal(Core.Ingestion.WebIngestOutcome.Updated, changed.Ingest!.Outcome);
        Assert.Contains("signé à Bakou", (await StoredAsync(bot, SiteArticles.Gaz, site)).Text, StringComparison.Ordinal);
        Assert.True(unchanged.NotModified);
        Assert.Equal("HTTP 404", gone.Problem);
        Assert.Null(await bot.Store.GetArticleAsync(ChatBot.Sources.Pages.WebAddress.ArticleId(site.Url("articles/" + SiteArticles.Ble.Slug).AbsoluteUri), Ct));
    }

    [Fact]
    public async Task The_folder_pass_keeps_the_articles_fetched_from_the_web()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site, "feed.xml");
        await Sync(bot).PollAllAsync(Ct);

        var report = await bot.SyncAsync();

        Assert.Equal(0, report.Removed);
        Assert.Equal(10, (await bot.Store.ListArticlesAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_path_robots_txt_disallows_is_never_requested_even_when_the_feed_lists_it()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        site.PrivateSlugs.Add("secret");
        await using var bot = BotFor(site, "feed.xml");

        var poll = Assert.Single(await Sync(bot).PollAllAsync(Ct));

        Assert.Equal(5, poll.Added);
        Assert.Equal(1, poll.Failed);
        Assert.Equal(0, site.RequestsTo("/private/"));
    }

    [Fact]
    public async Task Each_hostile_page_is_one_warning_and_nothing_stored_and_the_next_source_still_runs()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        var logs = new CapturedLogs();
        await using var bot = HangsUp(BotFor(site, "hostile/feed.xml", "feed.xml"));
        bot.Observe(logs);

        var polls = await Sync(bot).PollAllAsync(Ct);

        Assert.Equal(5, polls[0].Failed);
        Assert.Equal(0, polls[0].Added);
        Assert.Equal(5, polls[1].Added);
        foreach (var page in new[] { "huge", "bomb", "loop", "hang", "image" })
            Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains($"/hostile/{page}", StringComparison.Ordinal));
        Assert.Equal(5, (await bot.Store.ListArticlesAsync(Ct)).Count);
    }

    [Theory]
    [InlineData("hostile/xxe.xml", "not a readable feed or sitemap")]
    [InlineData("hostile/malformed.xml", "not a readable feed or sitemap")]
    [InlineData("hostile/hang", "no answer within 2 s")]
    public async Task A_hostile_feed_is_the_sources_error_on_the_board_and_nothing_is_stored(string feed, string error)
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        var logs = new CapturedLogs();
        await using var bot = HangsUp(BotFor(site, feed));
        bot.Observe(logs);

        var poll = Assert.Single(await Sync(bot).PollAllAsync(Ct));

        Assert.Contains(error, poll.Error, StringComparison.Ordinal);
        var state = Assert.Single(bot.Services.GetRequiredService<ISourceBoard>().Sources);
        Assert.Contains(error, state.LastError, StringComparison.Ordinal);
        Assert.Equal(1, state.ConsecutiveFailures);
        Assert.Null(state.LastSuccess);
        Assert.Empty(await bot.Store.ListArticlesAsync(Ct));
        Assert.Equal(0, site.RequestsTo("/articles/none"));
        Assert.Single(logs.Entries, e => e.Level >= LogLevel.Warning); // one warning, naming the source
        Assert.Contains(site.Url(feed).AbsoluteUri, logs.Entries.Single(e => e.Level >= LogLevel.Warning).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Running_the_bot_polls_on_schedule_a_new_item_is_answered_after_one_poll_and_a_failing_source_backs_off()
    {
        await using var site = await NewsSite.StartAsync([SiteArticles.Drones, SiteArticles.Gaz]);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bot = BotFor(site, "feed.xml", "hostile/malformed.xml");
        bot.Observe(new CapturedLogs(), time);
        var observe = bot.Configure;
        bot.Configure = builder =>
        {
            observe?.Invoke(builder);
            builder.AddSourcePoller();
        };
        var polls = new List<SourcePoll>();
        var polled = new SemaphoreSlim(0);
        Sync(bot).Polled += p =>
        {
            lock (polls)
                polls.Add(p);
            polled.Release();
        };
        await bot.Host.StartAsync(Ct);
        await polled.WaitAsync(Ct);
        await polled.WaitAsync(Ct); // both sources, at once on start

        site.Add(SiteArticles.Escadre);
        time.Advance(TimeSpan.FromMinutes(16.5)); // one poll interval (15 min ± 10 %); the failing source waits longer
        await polled.WaitAsync(Ct);
        var reply = await bot.Answerer.AnswerAsync(new ChatRequest("Quel port iranien a accueilli la flottille russe de la Caspienne ?"), Ct);

        Assert.Equal(SiteArticles.Escadre.Title, reply.Citations[0].Title);
        Assert.Equal(3, polls.Count);
        Assert.Equal(1, polls[2].Added);
        var failing = bot.Services.GetRequiredService<ISourceBoard>().Sources[1];
        Assert.NotNull(failing.LastError);
        Assert.True(failing.NextTry > time.GetUtcNow(), "the failing source is not tried again yet");
        Assert.True(bot.Services.GetRequiredService<ISourceBoard>().Sources[0].NextTry > time.GetUtcNow());
        await bot.Host.StopAsync(Ct);
    }

    [Fact]
    public async Task Slash_sources_lists_the_followed_sources_with_their_state()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site, "feed.xml", "hostile/malformed.xml");
        await Sync(bot).PollAllAsync(Ct);
        var router = bot.Services.GetRequiredService<CommandRouter>();

        var reply = await router.HandleAsync("sources", "", new CommandContext(new ChatOrigin("telegram", "1", "1"), 4096), Ct);

        Assert.StartsWith("Sources suivies (2) :", reply!.Text, StringComparison.Ordinal);
        Assert.Contains($"• {site.Url("feed.xml")} — 5 article(s), dernier succès", reply.Text, StringComparison.Ordinal);
        Assert.Contains($"• {site.Url("hostile/malformed.xml")} — 0 article(s), en erreur : not a readable feed or sitemap", reply.Text, StringComparison.Ordinal);
        Assert.Contains("5 article(s) dans le corpus", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slash_add_is_for_admins_it_adds_the_page_and_answers_with_its_title_and_date()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var bot = BotFor(site);
        bot.Settings["ChatBot:Controls:Admins:0"] = "telegram:7";
        var router = bot.Services.GetRequiredService<CommandRouter>();
        var url = site.Url("articles/" + SiteArticles.Escadre.Slug + "?utm_source=chat").AbsoluteUri;

        var stranger = await router.HandleAsync("add", url, new CommandContext(new ChatOrigin("telegram", "1", "1"), 4096), Ct);
        var admin = await router.HandleAsync("add", url, new CommandContext(new ChatOrigin("telegram", "7", "7"), 4096, Core.Foundation.Text.Language.French), Ct);
        var again = await router.HandleAsync("add", url, new CommandContext(new ChatOrigin("telegram", "7", "7"), 4096, Core.Foundation.Text.Language.French), Ct);
        var bad = await router.HandleAsync("add", "pas une adresse", new CommandContext(new ChatOrigin("telegram", "7", "7"), 4096, Core.Foundation.Text.Language.French), Ct);
        var failing = await router.HandleAsync("add", site.Url("hostile/image").AbsoluteUri, new CommandContext(new ChatOrigin("telegram", "7", "7"), 4096, Core.Foundation.Text.Language.French), Ct);

        Assert.StartsWith("Commande inconnue : /add.", stranger!.Text, StringComparison.Ordinal);
        Assert.Equal($"Ajouté : « {SiteArticles.Escadre.Title} » (3 mars 2025), {NewsSite.SiteName}.", admin!.Text);
        Assert.StartsWith("Déjà dans le corpus, inchangé", again!.Text, StringComparison.Ordinal);
        Assert.Equal("Usage : /add <adresse https://… d'un article>", bad!.Text);
        Assert.Equal($"Impossible d'ajouter {site.Url("hostile/image")} : served as image/png, not HTML.", failing!.Text);
        Assert.Single(await bot.Store.ListArticlesAsync(Ct));
    }

    [Fact]
    public async Task Slash_add_works_from_telegram_in_a_group_and_the_citation_links_to_the_article()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var t = await Telegram.TelegramHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Controls:Admins:0"] = "telegram:7";
            bot.Settings["ChatBot:Sources:PerHostIntervalMs"] = "0";
        });
        var url = site.Url("articles/" + SiteArticles.Escadre.Slug);

        t.Api.Send(-100, "/add " + url, chatType: "group", userId: 7);
        var added = (await t.Api.WaitForSentAsync(1))[0].Body["_visible"]!.GetValue<string>();
        t.Api.Send(42, "Quel port iranien a accueilli la flottille russe de la Caspienne ?");
        var answer = (await t.Api.WaitForSentAsync(2))[1].Body["text"]!.GetValue<string>();

        Assert.StartsWith($"Ajouté : « {SiteArticles.Escadre.Title} » (3 mars 2025)", added, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{url}\"><b>{SiteArticles.Escadre.Title}</b></a>", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slash_add_works_from_discord_for_an_admin()
    {
        await using var site = await NewsSite.StartAsync(SiteArticles.All);
        await using var h = await Discord.DiscordHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Controls:Admins:0"] = "discord:42";
            bot.Settings["ChatBot:Sources:PerHostIntervalMs"] = "0";
        });
        var url = site.Url("articles/" + SiteArticles.Drones.Slug).AbsoluteUri;

        await h.Discord.DispatchAsync("INTERACTION_CREATE", new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "5003", ["application_id"] = Support.Discord.FakeDiscord.ApplicationId, ["type"] = 2, ["token"] = "tok-3", ["channel_id"] = "2300",
            ["user"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "42" },
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "add", ["options"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "url", ["type"] = 3, ["value"] = url }) },
        });
        await h.Discord.WaitForAsync(() => h.Discord.Rest.Any(r => r.Path.StartsWith("/webhooks/", StringComparison.Ordinal)), "the /add reply");

        var reply = h.Discord.Rest.First(r => r.Path.StartsWith("/webhooks/", StringComparison.Ordinal));
        Assert.StartsWith($"Ajouté : « {SiteArticles.Drones.Title} » (10 février 2025)", reply.Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
