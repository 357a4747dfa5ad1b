using System.Text.Json.Nodes;
using ChatBot.Tests.Support.Discord;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Discord;

/// <summary>The whole bot (real host, our gateway and REST clients) against <see cref="FakeDiscord"/>.</summary>
public sealed class DiscordBotTests
{
    private const string Channel = "1100";

    [Fact]
    public async Task Each_replica_identifies_as_the_shard_its_configuration_names()
    {
        await using var h = await DiscordHarness.StartAsync(b =>
        {
            b.Settings["ChatBot:Discord:ShardId"] = "1";
            b.Settings["ChatBot:Discord:ShardCount"] = "2";
        });
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        await discord.WaitForAsync(() => discord.Received.Any(p => p["op"]!.GetValue<int>() == 2), "IDENTIFY");
        var identify = discord.Received.First(p => p["op"]!.GetValue<int>() == 2);

        Assert.Equal([1, 2], identify["d"]!["shard"]!.AsArray().Select(n => n!.GetValue<int>()));
    }

    [Fact]
    public async Task A_mention_gets_a_cited_reply_that_pings_nobody_and_references_the_question()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        var question = FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ? @everyone", mentionBot: true);
        await discord.DispatchAsync("MESSAGE_CREATE", question);
        var reply = (await h.WaitForMessagesAsync(1))[0];

        Assert.Equal($"/channels/{Channel}/messages", reply.Path);
        var body = reply.Body!;
        Assert.Contains("nord-ouest", body["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.False(body["allowed_mentions"]!["replied_user"]!.GetValue<bool>());
        Assert.Equal(question["id"]!.GetValue<string>(), body["message_reference"]!["message_id"]!.GetValue<string>());
        var embed = body["embeds"]![0]!;
        Assert.Equal("[1] La Russie n'utilisera plus de base iranienne pour frapper en Syrie", embed["title"]!.GetValue<string>());
        Assert.StartsWith("Euronews · ", embed["footer"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Hamedan", embed["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(discord.Rest, r => r.Path == $"/channels/{Channel}/typing");
    }

    [Fact]
    public async Task Bots_webhooks_everyone_pings_and_unaddressed_messages_are_ignored_but_DMs_are_answered()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, "Où se trouve Hamedan ?"));
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Hamedan ?", mentionBot: true, bot: true));
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Hamedan ?", mentionBot: true, webhook: true));
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, "@everyone réunion à 18 h", everyone: true));
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, "Je me cite", authorId: FakeDiscord.BotId));
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message("2200", "Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?", guildId: null));
        // Events are handled in order per channel: once this mention in the same channel is answered, every message
        // before it has been handled (and ignored).
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}>", mentionBot: true));
        var replies = await h.WaitForMessagesAsync(2);

        Assert.Equal(2, discord.Messages.Count);
        var dm = Assert.Single(replies, r => r.Path == "/channels/2200/messages");
        Assert.Contains("Rohani", dm.Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(replies, r => r.Path == $"/channels/{Channel}/messages"); // the help for the bare mention, nothing else
    }

    [Fact]
    public async Task A_malformed_event_is_logged_and_skipped_and_the_next_one_is_answered()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, logs) = (h.Bot, h.Discord, h.Logs);

        var noId = FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Hamedan ?", mentionBot: true);
        noId.Remove("id");
        await discord.DispatchAsync("MESSAGE_CREATE", noId);
        var numberAuthor = FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Hamedan ?", mentionBot: true);
        numberAuthor["author"] = 42;
        await discord.DispatchAsync("MESSAGE_CREATE", numberAuthor);
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true));
        var replies = await h.WaitForMessagesAsync(1);

        Assert.Single(discord.Messages);
        Assert.Contains("nord-ouest", replies[0].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        // Each is set aside in the inbox and logged once, as a warning naming the event (#25: parked, never retried).
        Assert.Equal(2, logs.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("MESSAGE_CREATE event cannot be read", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_slash_command_is_deferred_within_three_seconds_then_the_answer_replaces_the_placeholder()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        var sentAt = DateTimeOffset.UtcNow;
        await discord.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = "5001", ["application_id"] = FakeDiscord.ApplicationId, ["type"] = 2, ["token"] = "tok-1", ["channel_id"] = Channel, ["guild_id"] = "777", ["locale"] = "fr",
            ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "42", ["username"] = "ada" } },
            ["data"] = new JsonObject { ["name"] = "ask", ["type"] = 1, ["options"] = new JsonArray(new JsonObject { ["name"] = "question", ["type"] = 3, ["value"] = "Quelles technologies militaires Moscou fournit-elle à Téhéran ?" }) },
        });
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Method == "PATCH"), "edited answer");

        var callback = Assert.Single(discord.Rest, r => r.Path == "/interactions/5001/tok-1/callback");
        Assert.Equal(5, callback.Body!["type"]!.GetValue<int>());
        Assert.True(callback.At - sentAt < TimeSpan.FromSeconds(3));
        var edit = Assert.Single(discord.Rest, r => r.Method == "PATCH");
        Assert.Equal($"/webhooks/{FakeDiscord.ApplicationId}/tok-1/messages/@original", edit.Path);
        Assert.True(edit.At >= callback.At);
        Assert.Contains("guerre électronique", edit.Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(edit.Body!["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task Commands_are_registered_in_the_dev_guild_with_english_localisations()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        var put = Assert.Single(discord.Rest, r => r.Method == "PUT");

        Assert.Equal($"/applications/{FakeDiscord.ApplicationId}/guilds/777/commands", put.Path);
        var commands = put.Body!.AsArray();
        Assert.Equal(["ask", "summary", "digest", "sources", "help", "reindex", "stats", "add"], commands.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("0", commands[6]!["default_member_permissions"]!.GetValue<string>());
        var ask = commands[0]!;
        Assert.Equal("Poser une question sur le corpus", ask["description"]!.GetValue<string>());
        Assert.Equal("Ask a question about the corpus", ask["description_localizations"]!["en-US"]!.GetValue<string>());
        Assert.True(ask["options"]![0]!["required"]!.GetValue<bool>());
        Assert.Equal(3, ask["options"]![0]!["type"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_reply_to_the_bot_continues_the_conversation()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> À quels pays la Russie a-t-elle exporté le S-400 ?", mentionBot: true));
        await h.WaitForMessagesAsync(1);
        var botMessageId = "1001"; // the fake's first created message
        var referenced = new JsonObject { ["id"] = botMessageId, ["author"] = new JsonObject { ["id"] = FakeDiscord.BotId, ["bot"] = true }, ["content"] = "…" };
        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, "Et qui l'a rapporté ?", replyToBot: referenced));
        var replies = await h.WaitForMessagesAsync(2);

        Assert.Contains("Turquie", replies[0].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Defense News", replies[1].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_long_answer_arrives_in_several_messages_under_2000_characters()
    {
        await using var h = await DiscordHarness.StartAsync(b =>
        {
            var sentence = "Le rapport détaille longuement, chiffres à l'appui et avec de nombreuses citations de responsables russes et iraniens, la manière dont la coopération énergétique a évolué au fil des années, des premiers accords gaziers jusqu'aux projets de centrales nucléaires civiles construites par Rosatom";
            b.WriteArticle("rapport.txt", "Un très long rapport sur l'énergie\n\n" + string.Join(" ", Enumerable.Range(1, 24).Select(i => $"{sentence}, puis {sentence.ToLowerInvariant()} (point {i})."))); 
        });
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message("2200", "Résume le rapport", guildId: null));
        await discord.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = "5002", ["application_id"] = FakeDiscord.ApplicationId, ["type"] = 2, ["token"] = "tok-2", ["channel_id"] = "2300",
            ["user"] = new JsonObject { ["id"] = "42" },
            ["data"] = new JsonObject { ["name"] = "summary", ["options"] = new JsonArray(new JsonObject { ["name"] = "sujet", ["type"] = 3, ["value"] = "rapport" }) },
        });
        // The last part carries the sources' embeds.
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Path.StartsWith("/webhooks/", StringComparison.Ordinal) && r.Body?["embeds"] is JsonArray { Count: > 0 }), "summary in several parts");

        var parts = discord.Rest.Where(r => r.Path.StartsWith("/webhooks/", StringComparison.Ordinal)).ToList();
        Assert.Equal("PATCH", parts[0].Method);
        Assert.All(parts.Skip(1), p => Assert.Equal("POST", p.Method));
        Assert.True(parts.Sum(p => p.Body!["content"]!.GetValue<string>().Length) > 2000);
        Assert.All(parts, p => Assert.True(p.Body!["content"]!.GetValue<string>().Length <= 2000));
        Assert.NotNull(parts[^1].Body!["embeds"]);
    }

    [Fact]
    public async Task Answers_go_in_a_thread_on_the_question_when_configured()
    {
        await using var h = await DiscordHarness.StartAsync(b => b.Settings["ChatBot:Discord:ReplyInThread"] = "true");
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);

        var question = FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true);
        await discord.DispatchAsync("MESSAGE_CREATE", question);
        var reply = (await h.WaitForMessagesAsync(1))[0];

        var thread = Assert.Single(discord.Rest, r => r.Path.EndsWith("/threads", StringComparison.Ordinal));
        Assert.Equal($"/channels/{Channel}/messages/{question["id"]!.GetValue<string>()}/threads", thread.Path);
        Assert.StartsWith("Dans quelle région", thread.Body!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotEqual($"/channels/{Channel}/messages", reply.Path);
        Assert.Null(reply.Body!["message_reference"]);
    }

    [Fact]
    public async Task A_rejected_token_stops_discord_with_a_clear_error_while_the_host_keeps_running()
    {
        await using var h = await DiscordHarness.StartAsync(b => b.Settings["ChatBot:Discord:GatewayUrl"] = "", token: "wrong-token");
        var (bot, discord, logs) = (h.Bot, h.Discord, h.Logs);
        await discord.WaitForAsync(() => logs.Contains("Discord rejected the bot token"), "the fatal error");

        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Critical && e.Message.Contains("ChatBot:Discord:Token", StringComparison.Ordinal));
        Assert.Single(discord.Rest, r => r.Path == "/gateway/bot");
        Assert.Equal(5, (await bot.SyncAsync()).Unchanged);
    }

    [Fact]
    public async Task A_button_press_is_acknowledged_at_once_while_the_answer_in_its_channel_is_still_held()
    {
        await using var h = await DiscordHarness.StartAsync();
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        discord.HoldMessages = hold;

        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true));
        await h.WaitForMessagesAsync(1); // the answer is on its way, and held
        await discord.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = "7002", ["application_id"] = FakeDiscord.ApplicationId, ["type"] = 3, ["token"] = "tok-press", ["channel_id"] = Channel, ["guild_id"] = "777",
            ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "42" } },
            ["message"] = new JsonObject { ["id"] = "1001", ["channel_id"] = Channel },
            ["data"] = new JsonObject { ["custom_id"] = Core.Conversation.Controls.FeedbackService.Up, ["component_type"] = 2 },
        });
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Path == "/interactions/7002/tok-press/callback"), "the thanks");
        hold.SetResult();

        // Behind the answer in the channel's queue, the callback would have waited for it (past Discord's 3 s: 10062).
        var callback = discord.Rest.Single(r => r.Path == "/interactions/7002/tok-press/callback");
        Assert.Equal(4, callback.Body!["type"]!.GetValue<int>());
        await discord.WaitForAsync(() => discord.Messages.Count == 1 && discord.Rest.Count(r => r.Path.StartsWith("/channels/", StringComparison.Ordinal)) >= 2, "the answer released");
    }

    [Theory]
    [InlineData(11)] // a public thread
    [InlineData(15)] // a forum
    public async Task In_a_channel_where_no_thread_can_start_the_answer_is_a_reply_in_place(int channelType)
    {
        await using var h = await DiscordHarness.StartAsync(b => b.Settings["ChatBot:Discord:ReplyInThread"] = "true");
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);
        discord.ChannelTypes["3300"] = channelType;

        var question = FakeDiscord.Message("3300", $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true);
        await discord.DispatchAsync("MESSAGE_CREATE", question);
        var reply = (await h.WaitForMessagesAsync(1))[0];

        Assert.Equal("/channels/3300/messages", reply.Path);
        Assert.Equal(question["id"]!.GetValue<string>(), reply.Body!["message_reference"]!["message_id"]!.GetValue<string>());
        Assert.DoesNotContain(discord.Rest, r => r.Path.EndsWith("/threads", StringComparison.Ordinal));
        Assert.Contains("nord-ouest", reply.Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_slash_command_and_a_mention_in_flight_when_the_bot_stops_are_answered_once_after_the_restart()
    {
        await using var h = await DiscordHarness.StartAsync(b => b.Settings["ChatBot:Adapters:ShutdownGraceSeconds"] = "0.2");
        var (bot, discord, _) = (h.Bot, h.Discord, h.Logs);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        discord.HoldMessages = hold;
        var question = FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true);
        await discord.DispatchAsync("MESSAGE_CREATE", question);
        await h.WaitForMessagesAsync(1); // held: Discord never gets it

        await bot.RestartAsync();
        discord.HoldMessages = null;
        hold.SetResult();
        await bot.Host.StartAsync(TestContext.Current.CancellationToken);
        await discord.WaitForAsync(() => discord.Messages.Count(m => m.Body?["message_reference"]?["message_id"]?.GetValue<string>() == question["id"]!.GetValue<string>()) >= 2, "the answer after the restart");

        // The held attempt was cut off and is not seen by Discord's users; the replay answered once.
        var delivered = discord.Messages.Where(m => m.Body?["message_reference"]?["message_id"]?.GetValue<string>() == question["id"]!.GetValue<string>()).ToList();
        Assert.Equal(2, delivered.Count); // the cut-off attempt, then the one that went through
        Assert.Contains("nord-ouest", delivered[^1].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

public sealed class DiscordPoisonTests
{
    private const string Channel = "555";

    [Fact]
    public async Task An_event_that_cannot_be_read_is_parked_and_the_next_question_is_answered()
    {
        await using var h = await DiscordHarness.StartAsync();
        var poison = FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Hamedan ?", mentionBot: true);
        poison["mentions"] = "not a list"; // a field of the wrong type

        await h.Discord.DispatchAsync("MESSAGE_CREATE", poison);
        await h.Discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message(Channel, $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true));
        var reply = (await h.WaitForMessagesAsync(1))[0];

        Assert.Contains("nord-ouest", reply.Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var parked = await Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<ChatBot.Core.Conversation.Inbox.DurableInbox>(h.Bot.Services).ParkedAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, parked.Count);
        Assert.StartsWith("the MESSAGE_CREATE event cannot be read", parked.LastReason, StringComparison.Ordinal);
    }
}
