using ChatBot.Tests.Support.Discord;
using ChatBot.Tests.Support.Telegram;
using ChatBot.Tests.Telegram;

namespace ChatBot.Tests.Load;

/// <summary>
/// 50 users send 500 questions at once through the fake Telegram and the fake Discord (bounded: ten each, loopback
/// only). Every question gets exactly one reply, an answer or a quota message, in order per chat.
/// </summary>
public sealed class LoadTests
{
    private static readonly string[] Questions =
    [
        "Dans quelle région de l'Iran se trouve Hamedan ?", "Avec quel président iranien Poutine a-t-il tenu une conférence de presse ?",
        "Quelles technologies militaires Moscou fournit-elle à Téhéran ?", "Qui est le président du Brésil ?",
        "Quel vice-Premier ministre russe le ministre iranien de la Défense a-t-il rencontré ?",
    ];

    [Fact]
    public async Task Fifty_users_and_five_hundred_questions_get_their_answers_and_one_quota_notice_each_in_order()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var t = await TelegramHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Telegram:PerChatIntervalMs"] = "0";
            bot.Settings["ChatBot:Discord:Token"] = FakeDiscord.Token;
            bot.Settings["ChatBot:Discord:ApiBaseUrl"] = discord.ApiBaseUrl;
        }); // the real clock: the platforms' rate limits must pass (a quota may refill a token if the machine is slow)
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Method == "PUT"), "Discord ready");

        var telegramIds = new Dictionary<long, List<int>>();
        var discordIds = new Dictionary<string, List<string>>();
        for (var round = 0; round < 10; round++)
        {
            for (var user = 0; user < 25; user++)
            {
                var chat = 10_000 + user;
                telegramIds.TryAdd(chat, []);
                telegramIds[chat].Add(t.Api.Send(chat, Questions[(user + round) % Questions.Length], userId: chat));

                var channel = (20_000 + user).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var message = FakeDiscord.Message(channel, Questions[(user + round) % Questions.Length], authorId: channel, guildId: null);
                discordIds.TryAdd(channel, []);
                discordIds[channel].Add(message["id"]!.GetValue<string>());
                await discord.DispatchAsync("MESSAGE_CREATE", message);
            }
        }

        // All 500 handled (the inbox marks each done); each user got five answers, then one notice, then silence.
        await t.WaitForHandledAsync(500, TimeSpan.FromSeconds(90));

        foreach (var (chat, ids) in telegramIds)
        {
            var replies = t.Api.Sent.Where(s => s.Body["chat_id"]!.GetValue<long>() == chat).ToList();
            var repliedTo = replies.Select(r => r.Body["reply_parameters"]!["message_id"]!.GetValue<int>()).ToList();
            Assert.Equal(ids.Take(5), repliedTo.Take(5));
            Assert.Equal(repliedTo.Order(), repliedTo); // in order, none twice
            Assert.Equal(repliedTo.Count, repliedTo.Distinct().Count());
            // Five answers, then the notice; a slow machine may refill a token before the ten are handled, which
            // allows an answer and then a new notice, but a notice is never repeated without an answer between.
            var notices = replies.Select(r => r.Body["_visible"]!.GetValue<string>().StartsWith("Vous posez beaucoup de questions", StringComparison.Ordinal)).ToList();
            Assert.All(notices.Take(5), n => Assert.False(n));
            Assert.True(notices.Contains(true) || notices.Count == 10, "a user left without some answers was told why (the quota notice)");
            Assert.DoesNotContain(notices.Zip(notices.Skip(1)), pair => pair.First && pair.Second);
        }
        foreach (var (channel, ids) in discordIds)
        {
            var replies = discord.Messages.Where(m => m.Path == $"/channels/{channel}/messages").ToList();
            var repliedTo = replies.Select(r => r.Body!["message_reference"]!["message_id"]!.GetValue<string>()).ToList();
            Assert.Equal(ids.Take(5), repliedTo.Take(5));
            Assert.Equal(repliedTo.Count, repliedTo.Distinct().Count());
            var notices = replies.Select(r => r.Body!["content"]!.GetValue<string>().StartsWith("Vous posez beaucoup de questions", StringComparison.Ordinal)).ToList();
            Assert.All(notices.Take(5), n => Assert.False(n));
            Assert.DoesNotContain(notices.Zip(notices.Skip(1)), pair => pair.First && pair.Second);
            Assert.All(replies, r => Assert.Empty(r.Body!["allowed_mentions"]!["parse"]!.AsArray()));
        }
    }

    [Fact]
    public async Task Through_429s_502s_and_a_gateway_dropping_every_few_seconds_every_question_is_answered_once_in_order()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var t = await TelegramHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Telegram:PerChatIntervalMs"] = "0";
            bot.Settings["ChatBot:Discord:Token"] = FakeDiscord.Token;
            bot.Settings["ChatBot:Discord:ApiBaseUrl"] = discord.ApiBaseUrl;
            bot.Settings["ChatBot:Controls:UserQuestionsPerMinute"] = "100";
        });
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Method == "PUT"), "Discord ready");
        for (var i = 0; i < 6; i++)
        {
            t.Api.FailNext("sendMessage", new FakeBotApi.Fault(429, "Too Many Requests: retry after 1", RetryAfter: 1));
            t.Api.FailNext("sendMessage", new FakeBotApi.Fault(502, "Bad Gateway"));
            discord.RateLimitNext("/messages", 0.3);
        }

        var telegramIds = new Dictionary<long, List<int>>();
        var discordIds = new Dictionary<string, List<string>>();
        for (var round = 0; round < 5; round++)
        {
            for (var user = 0; user < 20; user++)
            {
                var chat = 30_000 + user;
                telegramIds.TryAdd(chat, []);
                telegramIds[chat].Add(t.Api.Send(chat, Questions[(user + round) % Questions.Length], userId: chat));

                var channel = (40_000 + user).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var message = FakeDiscord.Message(channel, Questions[(user + round) % Questions.Length], authorId: channel, guildId: null);
                discordIds.TryAdd(channel, []);
                discordIds[channel].Add(message["id"]!.GetValue<string>());
                await discord.DispatchAsync("MESSAGE_CREATE", message);
            }
            // The gateway connection drops between rounds (no close frame); what is dispatched meanwhile is replayed on resume.
            var resumed = discord.Resumed;
            discord.Abort();
            await discord.WaitForAsync(() => discord.Resumed > resumed, "the session resumed", TimeSpan.FromSeconds(30));
        }

        await t.Api.WaitForSentAsync(100, TimeSpan.FromSeconds(90));
        await discord.WaitForAsync(() => discord.Messages.Count(m => m.Body?["message_reference"] is not null) >= 100, "100 Discord replies", TimeSpan.FromSeconds(90));
        await t.WaitForHandledAsync(200, TimeSpan.FromSeconds(90)); // every update finished with: nothing more can come

        Assert.True(discord.Connections >= 6, $"{discord.Connections} gateway connections: the first and one after each of the 5 drops");
        Assert.Equal(100, t.Api.Sent.Count);
        foreach (var (chat, ids) in telegramIds)
        {
            var replies = t.Api.Sent.Where(s => s.Body["chat_id"]!.GetValue<long>() == chat).ToList();
            Assert.Equal(ids, replies.Select(r => r.Body["reply_parameters"]!["message_id"]!.GetValue<int>()));
        }
        // The fake records every request, the six it refused with a 429 too: each was sent again once, right after.
        var discordReplies = discord.Messages.Where(m => m.Body?["message_reference"] is not null).ToList();
        Assert.Equal(100 + 6, discordReplies.Count);
        foreach (var (channel, ids) in discordIds)
        {
            var replies = discordReplies.Where(m => m.Path == $"/channels/{channel}/messages")
                .Select(r => r.Body!["message_reference"]!["message_id"]!.GetValue<string>()).ToList();
            var retried = replies.Where((id, i) => i > 0 && replies[i - 1] == id).Count();
            Assert.Equal(ids, replies.Where((id, i) => i == 0 || replies[i - 1] != id));
            Assert.True(retried <= 6);
        }
    }
}
