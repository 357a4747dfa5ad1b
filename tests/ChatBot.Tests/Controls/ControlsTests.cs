using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Tests.Telegram;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Controls;

public sealed class ControlsTests
{
    private static readonly ChatOrigin Ada = new("telegram", "42", "42");

    [Fact]
    public void A_user_gets_five_questions_a_minute_then_is_told_when_to_retry_and_admins_have_no_quota()
    {
        var time = new FakeTimeProvider();
        var options = Options.Create(new ControlsOptions { Admins = ["telegram:7"] });
        var quotas = new QuotaLimiter(options, new AccessPolicy(options), time);

        var allowed = Enumerable.Range(0, 5).Select(_ => quotas.TryTake(Ada)).ToList();
        var refused = quotas.TryTake(Ada);
        time.Advance(TimeSpan.FromSeconds(12));
        var again = quotas.TryTake(Ada);
        var admin = Enumerable.Range(0, 50).Select(_ => quotas.TryTake(new ChatOrigin("telegram", "42", "7"))).ToList();

        Assert.All(allowed, a => Assert.Null(a));
        Assert.Equal(new QuotaRefusal(TimeSpan.FromSeconds(12), AlreadyTold: false), refused);
        Assert.Null(again);
        Assert.All(admin, a => Assert.Null(a));
    }

    [Fact]
    public void A_refusal_is_told_once_until_its_wait_is_over_then_told_again()
    {
        var time = new FakeTimeProvider();
        var options = Options.Create(new ControlsOptions { UserQuestionsPerMinute = 1 });
        var quotas = new QuotaLimiter(options, new AccessPolicy(options), time);

        Assert.Null(quotas.TryTake(Ada));
        var first = quotas.TryTake(Ada);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = quotas.TryTake(Ada);
        time.Advance(TimeSpan.FromSeconds(1));
        var third = quotas.TryTake(Ada);
        time.Advance(TimeSpan.FromSeconds(58));
        var allowedAgain = quotas.TryTake(Ada);
        var refusedAgain = quotas.TryTake(Ada);

        Assert.Equal(new QuotaRefusal(TimeSpan.FromSeconds(60), false), first);
        Assert.Equal(new QuotaRefusal(TimeSpan.FromSeconds(59), true), second);
        Assert.Equal(new QuotaRefusal(TimeSpan.FromSeconds(58), true), third);
        Assert.Null(allowedAgain);
        Assert.Equal(new QuotaRefusal(TimeSpan.FromSeconds(60), false), refusedAgain); // a new refusal: said again
    }

    [Fact]
    public void Buckets_of_users_gone_quiet_are_forgotten()
    {
        var time = new FakeTimeProvider();
        var options = Options.Create(new ControlsOptions());
        var quotas = new QuotaLimiter(options, new AccessPolicy(options), time);

        for (var user = 0; user < 1000; user++)
            quotas.TryTake(new ChatOrigin("telegram", "c" + user, "u" + user));
        var busy = quotas.BucketCount;
        time.Advance(TimeSpan.FromDays(1)); // every allowance has refilled
        quotas.Sweep(time.GetUtcNow());

        Assert.Equal(3000, busy); // a minute's and a day's per user, a minute's per channel
        Assert.Equal(0, quotas.BucketCount);
        Assert.Null(quotas.TryTake(Ada)); // and a returning user starts with a full allowance
    }

    [Fact]
    public void A_channel_has_its_own_allowance_shared_by_its_users()
    {
        var time = new FakeTimeProvider();
        var options = Options.Create(new ControlsOptions { ChannelQuestionsPerMinute = 3 });
        var quotas = new QuotaLimiter(options, new AccessPolicy(options), time);

        var results = Enumerable.Range(1, 4).Select(user => quotas.TryTake(new ChatOrigin("discord", "100", user.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        Assert.Equal(3, results.Count(r => r is null));
        Assert.NotNull(results[3]);
    }

    [Fact]
    public async Task Over_quota_the_bot_answers_politely_with_the_wait_in_the_users_language()
    {
        // The bot's clock is a fake one that does not move: the wait is exactly 60 s however loaded the machine.
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Controls:UserQuestionsPerMinute"] = "1", time: new FakeTimeProvider(DateTimeOffset.UtcNow));

        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        t.Api.Send(42, "Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?");
        t.Api.Send(42, "What did Khamenei say?", languageCode: "en");
        t.Api.Send(42, "/help"); // not counted: its reply comes after the others (one chat, in order)
        var sent = await t.Api.WaitForSentAsync(3);

        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("Vous posez beaucoup de questions : réessayez dans 60 s.", sent[1].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("beaucoup de questions", sent[2].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal); // the third question got silence
        Assert.Equal(3, t.Api.Sent.Count);
    }

    [Fact]
    public async Task Outside_the_allow_list_the_bot_stays_silent()
    {
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Controls:AllowedChats:0"] = "telegram:42");

        t.Api.Send(43, "Dans quelle région de l'Iran se trouve Hamedan ?", userId: 43);
        t.Api.Send(43, "/help", userId: 43);
        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await t.Api.WaitForSentAsync(1);
        await t.WaitForHandledAsync(3); // every update marked done in the inbox, the two of chat 43 included

        Assert.Equal(42, Assert.Single(t.Api.Sent).Body["chat_id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Admin_commands_work_for_admins_and_reveal_nothing_to_others()
    {
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Controls:Admins:0"] = "telegram:7");

        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        t.Api.Send(42, "/stats");
        t.Api.Send(7, "/stats", userId: 7);
        t.Api.Send(7, "/reindex", userId: 7);
        var sent = await t.Api.WaitForSentAsync(4);

        var toAda = sent.Where(s => s.Body["chat_id"]!.GetValue<long>() == 42).ToList();
        var toAdmin = sent.Where(s => s.Body["chat_id"]!.GetValue<long>() == 7).Select(s => s.Body["_visible"]!.GetValue<string>()).ToList();
        Assert.StartsWith("Commande inconnue : /stats.", toAda[1].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("article(s)", toAda[1].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(toAdmin, v => v.StartsWith("Index : 5 article(s)", StringComparison.Ordinal) && v.Contains("Aujourd'hui : 1 question(s)", StringComparison.Ordinal));
        Assert.Contains(toAdmin, v => v.StartsWith("Réindexation terminée : 0 ajouté(s), 0 modifié(s), 0 supprimé(s), 5 inchangé(s)", StringComparison.Ordinal));
    }
}

public sealed class QuotaBurstTests
{
    [Fact]
    public async Task A_burst_of_twenty_questions_gets_five_answers_and_one_wait_in_order()
    {
        await using var t = await TelegramHarness.StartAsync(time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        var ids = Enumerable.Range(1, 20).Select(i => t.Api.Send(42, $"Dans quelle région de l'Iran se trouve Hamedan ? ({i})")).ToList();
        var help = t.Api.Send(42, "/help"); // answered after all twenty have been handled: the chat's order

        var sent = await t.Api.WaitForSentAsync(7);

        Assert.Equal(7, t.Api.Sent.Count);
        Assert.Equal([.. ids.Take(6), help], sent.Select(s => s.Body["reply_parameters"]!["message_id"]!.GetValue<int>()));
        var texts = sent.Select(s => s.Body["_visible"]!.GetValue<string>()).ToList();
        Assert.All(texts.Take(5), x => Assert.Contains("nord-ouest", x, StringComparison.Ordinal));
        Assert.StartsWith("Vous posez beaucoup de questions : réessayez dans 12 s.", texts[5], StringComparison.Ordinal);
    }
}

public sealed class DiscordControlsTests
{
    [Fact]
    public async Task Discord_applies_the_same_quota_as_telegram()
    {
        // A clock that does not move: the wait is exactly 60 s however loaded the machine; so the fake sends no
        // rate-limit headers, whose reset would never come.
        await using var h = await ChatBot.Tests.Discord.DiscordHarness.StartAsync(
            b => b.Settings["ChatBot:Controls:UserQuestionsPerMinute"] = "1",
            time: new FakeTimeProvider(DateTimeOffset.UtcNow),
            fake: d => d.SendRateLimitHeaders = false);
        var discord = h.Discord;

        await discord.DispatchAsync("MESSAGE_CREATE", ChatBot.Tests.Support.Discord.FakeDiscord.Message("2200", "Dans quelle région de l'Iran se trouve Hamedan ?", guildId: null));
        await discord.WaitForAsync(() => discord.Messages.Count >= 1, "the answer");
        await discord.DispatchAsync("MESSAGE_CREATE", ChatBot.Tests.Support.Discord.FakeDiscord.Message("2200", "Et Rohani ?", guildId: null));
        await discord.WaitForAsync(() => discord.Messages.Count >= 2, "two replies");

        var texts = discord.Messages.Select(m => m.Body!["content"]!.GetValue<string>()).ToList();
        Assert.Contains("nord-ouest", texts[0], StringComparison.Ordinal);
        Assert.StartsWith("Vous posez beaucoup de questions : réessayez dans 60 s.", texts[1], StringComparison.Ordinal);
    }
}

public sealed class GroupFloodTests
{
    [Fact]
    public async Task A_slash_command_over_quota_is_answered_at_once_privately_and_never_queued()
    {
        await using var h = await ChatBot.Tests.Discord.DiscordHarness.StartAsync(
            b => b.Settings["ChatBot:Controls:UserQuestionsPerMinute"] = "1",
            time: new FakeTimeProvider(DateTimeOffset.UtcNow),
            fake: d => d.SendRateLimitHeaders = false);
        var discord = h.Discord;
        System.Text.Json.Nodes.JsonObject Ask(string id) => new()
        {
            ["id"] = id, ["application_id"] = ChatBot.Tests.Support.Discord.FakeDiscord.ApplicationId, ["type"] = 2, ["token"] = "tok-" + id, ["channel_id"] = "4400", ["guild_id"] = "777", ["locale"] = "fr",
            ["member"] = new System.Text.Json.Nodes.JsonObject { ["user"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "42", ["username"] = "ada" } },
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["name"] = "ask", ["type"] = 1, ["options"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["name"] = "question", ["type"] = 3, ["value"] = "Dans quelle région de l'Iran se trouve Hamedan ?" }) },
        };

        await discord.DispatchAsync("INTERACTION_CREATE", Ask("6001"));
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Method == "PATCH"), "the first answer");
        await discord.DispatchAsync("INTERACTION_CREATE", Ask("6002"));
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Path == "/interactions/6002/tok-6002/callback"), "the refusal");

        var refusal = Assert.Single(discord.Rest, r => r.Path == "/interactions/6002/tok-6002/callback");
        Assert.Equal(4, refusal.Body!["type"]!.GetValue<int>()); // answered at once, not deferred
        Assert.StartsWith("Vous posez beaucoup de questions", refusal.Body!["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(64, refusal.Body!["data"]!["flags"]!.GetValue<int>()); // ephemeral: seen by the invoker only
        Assert.DoesNotContain(ChatBot.Tests.Support.InboxProbe.Keys(h.Bot.DatabasePath, "discord"), k => k == "6002"); // never queued
    }

    [Fact]
    public async Task Discord_admits_at_arrival_too_a_flooded_channel_gets_its_quota_and_one_notice()
    {
        const int Users = 300;
        await using var h = await ChatBot.Tests.Discord.DiscordHarness.StartAsync(
            b => b.Settings["ChatBot:Controls:ChannelQuestionsPerMinute"] = "5",
            time: new FakeTimeProvider(DateTimeOffset.UtcNow),
            fake: d => d.SendRateLimitHeaders = false);
        var discord = h.Discord;

        for (var i = 0; i < Users; i++)
        {
            await discord.DispatchAsync("MESSAGE_CREATE", ChatBot.Tests.Support.Discord.FakeDiscord.Message(
                "3300", $"<@{ChatBot.Tests.Support.Discord.FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ? ({i})", authorId: (50_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), mentionBot: true));
        }
        await ChatBot.Tests.Support.InboxProbe.WaitForDoneAsync(h.Bot.DatabasePath, Users, TimeSpan.FromSeconds(120));

        var texts = discord.Messages.Select(m => m.Body!["content"]!.GetValue<string>()).ToList();
        Assert.Equal(5, texts.Count(t => t.Contains("nord-ouest", StringComparison.Ordinal)));
        Assert.Single(texts, t => t.StartsWith("Vous posez beaucoup de questions", StringComparison.Ordinal));
        Assert.Equal(6, texts.Count);
    }

    [Fact]
    public async Task Five_thousand_users_flooding_a_group_get_the_chat_quota_answered_one_notice_and_a_bounded_queue()
    {
        const int Users = 5000;
        const long Group = -100_555;
        await using var t = await TelegramHarness.StartAsync(
            bot => bot.Settings["ChatBot:Controls:ChannelQuestionsPerMinute"] = "10",
            time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        var before = GC.GetTotalMemory(forceFullCollection: true);

        for (var i = 0; i < Users; i++)
            t.Api.Send(Group, $"@{ChatBot.Tests.Support.Telegram.FakeBotApi.BotUsername} Dans quelle région de l'Iran se trouve Hamedan ? ({i})", chatType: "supergroup", userId: 10_000 + i);
        await t.WaitForHandledAsync(Users, TimeSpan.FromSeconds(120)); // every update done: answered, refused or dropped
        var after = GC.GetTotalMemory(forceFullCollection: true);

        var sent = t.Api.Sent.Where(s => s.Body["chat_id"]!.GetValue<long>() == Group).Select(s => s.Body["_visible"]!.GetValue<string>()).ToList();
        Assert.Equal(10, sent.Count(s => s.Contains("nord-ouest", StringComparison.Ordinal)));
        Assert.Single(sent, s => s.StartsWith("Vous posez beaucoup de questions", StringComparison.Ordinal));
        Assert.Equal(11, sent.Count);
        // The backlog never grew past the chat's cap (nothing over quota was ever queued); memory, fake server
        // included, grows by tens of MB at most, not with every one of the 5,000 questions answered late.
        Assert.InRange(Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Telegram.Updates.TelegramUpdateDispatcher>(t.Bot.Services).PeakQueued, 0, 20);
        Assert.True(after - before < 256 * 1024 * 1024, $"memory grew by {(after - before) / 1024 / 1024} MB");
    }
}

public sealed class HugeQuestionTests
{
    [Fact]
    public async Task A_huge_question_is_answered_and_stored_cut_to_max_question_chars()
    {
        await using var bot = new ChatBot.Tests.Support.TestBot();
        await bot.SyncAsync();
        var services = bot.Services;
        var router = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.ConversationRouter>(services);
        var log = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.Controls.IQuestionLog>(services);
        var conversations = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.Memory.IConversationStore>(services);
        var question = "Dans quelle région de l'Iran se trouve Hamedan ? " + string.Concat(Enumerable.Repeat("bla ", 250_000)); // 1 MB
        var origin = new ChatOrigin("telegram", "42", "42");

        var reply = await router.HandleAsync("ask", question, new ChatBot.Core.Conversation.Commands.CommandContext(origin, 4000), null, TestContext.Current.CancellationToken);
        await reply!.RememberAsync("42", ["900"], TestContext.Current.CancellationToken);

        Assert.Contains("(Question tronquée à 2000 caractères.)", reply.Reply.Notes);
        var logged = Assert.Single(await log.ReadAsync(DateTimeOffset.UtcNow.AddHours(-1), 10, TestContext.Current.CancellationToken));
        Assert.InRange(logged.Question!.Length, 1000, 2000);
        var remembered = await conversations.LoadAsync("telegram", "42", "900", TestContext.Current.CancellationToken);
        Assert.InRange(Assert.Single(remembered!.Value.Turns).Question.Length, 1000, 2000);
    }
}
