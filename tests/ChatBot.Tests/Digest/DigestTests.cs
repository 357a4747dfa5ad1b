using ChatBot.Core.Digest;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using ChatBot.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Digest;

/// <summary>
/// The digest end to end: schedule in Europe/Paris, ledger in the SQLite file, posts through the Telegram adapter to
/// the fake Bot API. Time is a <see cref="FakeTimeProvider"/>; each step calls the service's pass directly.
/// </summary>
public sealed class DigestTests
{
    private const string Group = "telegram:-100777";
    private const string Channel = "telegram:-100888";

    private static Task<(TelegramHarness T, FakeTimeProvider Time)> StartAsync(DateTimeOffset start, params string[] targets) =>
        StartAsync(start, store: null, targets);

    private static async Task<(TelegramHarness T, FakeTimeProvider Time)> StartAsync(DateTimeOffset start, Action<TestBot>? store, params string[] targets)
    {
        var time = new FakeTimeProvider(start);
        var harness = await TelegramHarness.StartAsync(bot =>
        {
            store?.Invoke(bot);
            for (var i = 0; i < targets.Length; i++)
                bot.Settings[$"ChatBot:Digest:Targets:{i}"] = targets[i];
            bot.Settings["ChatBot:Digest:Schedule"] = "0 8 * * *";
            bot.Settings["ChatBot:Digest:TimeZone"] = "Europe/Paris";
            bot.Configure = builder =>
            {
                builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
                builder.Services.AddSingleton<DigestService>();
            };
        });
        return (harness, time);
    }

    private static DigestService Service(TelegramHarness t) => t.Bot.Services.GetRequiredService<DigestService>();

    private static IReadOnlyList<FakeBotApi.ApiCall> PostsTo(TelegramHarness t, string target) =>
        t.Api.Sent.Where(s => s.Body["chat_id"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture) == target.Split(':')[1]).ToList();

    /// <summary>The target's first pass (a baseline), then one article ingested a minute later.</summary>
    private static async Task BaselineThenOneNewArticleAsync(TelegramHarness t, FakeTimeProvider time)
    {
        await Service(t).TickAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(1));
        AddArticle(t, "gaz", "Un accord gazier à long terme");
        await t.Bot.SyncAsync();
    }

    private static void AddArticle(TelegramHarness t, string id, string title) =>
        t.Bot.WriteArticle(id + ".txt", $"{title}\n\nPar Reuters\n\nLe Kremlin et Téhéran ont annoncé {title.ToLowerInvariant()}, selon un communiqué publié dans la matinée. Les deux capitales n'ont pas donné d'autre détail sur le calendrier.\n");

    [Fact]
    public async Task A_digest_lists_exactly_the_articles_added_since_the_previous_one()
    {
        var (t, time) = await StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Group);
        await using var _ = t;
        await Service(t).TickAsync(Ct); // first sight of the target: a baseline, nothing posted
        Assert.Empty(PostsTo(t, Group));

        time.Advance(TimeSpan.FromHours(6));
        AddArticle(t, "gaz", "Un accord gazier à long terme");
        AddArticle(t, "rail", "Le corridor ferroviaire Nord-Sud achevé");
        await t.Bot.SyncAsync();
        time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 7, 0, 30, TimeSpan.Zero)); // 08:00:30 in Paris
        await Service(t).TickAsync(Ct);

        var post = Assert.Single(PostsTo(t, Group));
        var text = post.Body["_visible"]!.GetValue<string>();
        Assert.Contains("Nouveaux articles depuis le 20 novembre 2026 à 09:00 : 2", text, StringComparison.Ordinal);
        Assert.Contains("Un accord gazier à long terme — Reuters", text, StringComparison.Ordinal);
        Assert.Contains("Le corridor ferroviaire Nord-Sud achevé — Reuters", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Hamedan", text, StringComparison.Ordinal);
        Assert.DoesNotContain("La Russie n'utilisera plus", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_is_posted_once_across_passes_and_a_restart()
    {
        var (t, time) = await StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Group);
        await using var _ = t;
        await BaselineThenOneNewArticleAsync(t, time);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 7, 5, 0, TimeSpan.Zero));

        await Service(t).TickAsync(Ct);
        await Service(t).TickAsync(Ct);
        await t.Bot.RestartAsync();
        await t.Bot.Host.StartAsync(Ct);
        await Service(t).TickAsync(Ct);

        Assert.Single(PostsTo(t, Group));
    }

    [Fact]
    public async Task After_days_of_downtime_the_catch_up_posts_once_with_everything_new()
    {
        var (t, time) = await StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Group);
        await using var _ = t;
        await BaselineThenOneNewArticleAsync(t, time);
        time.Advance(TimeSpan.FromDays(1));
        AddArticle(t, "rail", "Le corridor ferroviaire Nord-Sud achevé");
        await t.Bot.SyncAsync();

        time.SetUtcNow(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero)); // three 08:00s missed
        await Service(t).TickAsync(Ct);
        await Service(t).TickAsync(Ct);

        var post = Assert.Single(PostsTo(t, Group));
        Assert.Contains(": 2", post.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_period_claimed_by_a_replica_that_died_mid_post_is_not_posted_again()
    {
        var (t, time) = await StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Group);
        await using var _ = t;
        await BaselineThenOneNewArticleAsync(t, time);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 7, 5, 0, TimeSpan.Zero));
        var ledger = t.Bot.Services.GetRequiredService<IDigestLedger>();
        var period = new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero);
        Assert.True(await ledger.TryCreateAsync(Group, period, DigestState.Claimed, time.GetUtcNow(), Ct)); // the other replica

        await Service(t).TickAsync(Ct);

        Assert.Empty(PostsTo(t, Group));
        Assert.Equal(DigestState.Claimed, (await ledger.GetAsync(Group, period, Ct))!.State);
    }

    [Fact]
    public async Task A_failing_target_is_retried_with_backoff_while_the_others_get_their_digest()
    {
        var (t, time) = await StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero), Group, Channel);
        await using var _ = t;
        await BaselineThenOneNewArticleAsync(t, time);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 7, 0, 10, TimeSpan.Zero));
        t.Api.FailNext("sendMessage", new FakeBotApi.Fault(403, "Forbidden: bot was kicked from the supergroup chat"));

        var wake = await Service(t).TickAsync(Ct);
        Assert.Empty(PostsTo(t, Group));
        Assert.Single(PostsTo(t, Channel));
        Assert.Equal(time.GetUtcNow().AddSeconds(30), wake);

        time.Advance(TimeSpan.FromSeconds(10));
        await Service(t).TickAsync(Ct);
        Assert.Empty(PostsTo(t, Group)); // not before its retry time
        time.Advance(TimeSpan.FromSeconds(25));
        await Service(t).TickAsync(Ct);

        Assert.Single(PostsTo(t, Group));
        Assert.Single(PostsTo(t, Channel));
    }

    [Fact]
    public async Task Each_day_posts_once_at_eight_in_Paris_across_both_daylight_saving_changes()
    {
        foreach (var (first, utcHours) in new[]
        {
            (new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero), new[] { 7, 6, 6 }),   // CET → CEST on 29 March
            (new DateTimeOffset(2026, 10, 23, 12, 0, 0, TimeSpan.Zero), new[] { 6, 7, 7 }),  // CEST → CET on 25 October
        })
        {
            var (t, time) = await StartAsync(first, Group);
            await using var _ = t;
            t.Bot.Settings["ChatBot:Digest:PostWhenEmpty"] = "true";
            await t.Bot.RestartAsync();
            await t.Bot.Host.StartAsync(Ct);
            await Service(t).TickAsync(Ct); // baseline

            var posts = new List<DateTimeOffset>();
            for (var minute = 0; minute < 3 * 24 * 60; minute += 30)
            {
                time.Advance(TimeSpan.FromMinutes(30));
                var before = PostsTo(t, Group).Count;
                await Service(t).TickAsync(Ct);
                if (PostsTo(t, Group).Count > before)
                    posts.Add(time.GetUtcNow());
            }

            Assert.Equal(utcHours, posts.Select(p => p.Hour));
            Assert.Equal(3, posts.Select(p => p.Date).Distinct().Count());
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Two_replicas_on_one_database_post_a_period_once_in_total(string provider)
    {
        await using var database = provider == "postgres" ? await PostgresServer.CreateDatabaseAsync() : null;
        var (t, time) = await StartAsync(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero),
            database is null ? null : bot => bot.UsePostgres(database.ConnectionString, "first"), Group);
        await using var _ = t;
        await using var replica = new TestBot(seedCorpus: false);
        if (database is not null)
            replica.UsePostgres(database.ConnectionString, "second");
        replica.Settings["ChatBot:Corpus:Path"] = t.Bot.CorpusPath;
        replica.Settings["ChatBot:Store:Path"] = t.Bot.DatabasePath;
        replica.Settings["ChatBot:Digest:Targets:0"] = Group;
        replica.Settings["ChatBot:Telegram:Token"] = FakeBotApi.Token;
        replica.Settings["ChatBot:Telegram:BaseUrl"] = t.Api.BaseUrl;
        replica.Settings["ChatBot:Telegram:PerChatIntervalMs"] = "0";
        replica.Configure = builder =>
        {
            builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            builder.Services.AddSingleton<DigestService>();
        };
        await BaselineThenOneNewArticleAsync(t, time);
        time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 7, 5, 0, TimeSpan.Zero));

        await Task.WhenAll(
            Service(t).TickAsync(Ct),
            replica.Services.GetRequiredService<DigestService>().TickAsync(Ct));

        Assert.Single(PostsTo(t, Group));
    }
}

public sealed class DigestHostingTests
{

    [Fact]
    public async Task The_running_host_posts_when_the_schedule_comes_round()
    {
        var time = new TimerProbe(new DateTimeOffset(2026, 11, 20, 9, 0, 0, TimeSpan.Zero));
        await using var t = await TelegramHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Digest:Targets:0"] = "telegram:-100777";
            bot.Settings["ChatBot:Digest:PostWhenEmpty"] = "true";
            bot.Configure = builder =>
            {
                builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
                builder.AddDigest();
            };
        });
        var service = t.Bot.Services.GetRequiredService<DigestService>();
        await time.WaitForTimerAsync(due => due > TimeSpan.FromHours(12), "waiting for the next 08:00"); // the first pass is over
        Assert.Equal(1, service.Ticks);

        time.SetUtcNow(new DateTimeOffset(2026, 11, 21, 7, 0, 0, TimeSpan.Zero));
        var sent = await t.Api.WaitForSentAsync(1);

        Assert.Equal(-100777, sent[0].Body["chat_id"]!.GetValue<long>());
        Assert.Contains("Aucun nouvel article", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_demand_digest_answers_only_the_caller()
    {
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Digest:Targets:0"] = "telegram:-100777");

        t.Api.Send(42, "/digest");
        var sent = await t.Api.WaitForSentAsync(1);
        await t.WaitForHandledAsync(1);

        var only = Assert.Single(t.Api.Sent);
        Assert.Equal(42, only.Body["chat_id"]!.GetValue<long>());
        var text = only.Body["_visible"]!.GetValue<string>();
        Assert.Contains("Nouveaux articles depuis le", text, StringComparison.Ordinal);
        const string title = "Poutine : L'Iran n'a pas demandé d'aide militaire à la Russie";
        Assert.Contains(title, sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(text.IndexOf(title, StringComparison.Ordinal), text.LastIndexOf(title, StringComparison.Ordinal)); // listed once, not again under Sources
        Assert.DoesNotContain("Sources :", text, StringComparison.Ordinal);
    }
}
