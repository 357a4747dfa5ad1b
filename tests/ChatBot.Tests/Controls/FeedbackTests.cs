using System.Text.Json.Nodes;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Discord;
using ChatBot.Tests.Support.Telegram;
using ChatBot.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Controls;

public sealed class FeedbackTests
{

    [Fact]
    public async Task Telegram_answers_carry_buttons_and_a_second_press_changes_the_vote()
    {
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Controls:Admins:0"] = "telegram:7");
        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var answer = (await t.Api.WaitForSentAsync(1))[0];
        var buttons = answer.Body["reply_markup"]!["inline_keyboard"]![0]!.AsArray();
        var messageId = answer.Body["_message_id"]!.GetValue<int>();

        t.Api.Press(42, messageId, buttons[0]!["callback_data"]!.GetValue<string>());
        t.Api.Press(42, messageId, buttons[1]!["callback_data"]!.GetValue<string>());
        await FakeBotApi.WaitForAsync(() => t.Api.Calls.Count(c => c.Method == "answerCallbackQuery") >= 2);
        await t.WaitForHandledAsync(3); // the presses are acknowledged on arrival; the votes are stored after, in order
        var votes = await t.Bot.Services.GetRequiredService<IFeedbackStore>().VotesAsync(Ct);

        Assert.Equal(["👍", "👎"], buttons.Select(b => b!["text"]!.GetValue<string>()));
        var vote = Assert.Single(votes);
        Assert.Equal(-1, vote.Vote);
        Assert.Equal("Dans quelle région de l'Iran se trouve Hamedan ?", vote.Question);
        Assert.Contains("nord-ouest", vote.Answer, StringComparison.Ordinal);
        Assert.Equal(["000_47b6786323e8e5c6"], vote.Citations);
        Assert.Equal("Merci pour votre avis !", t.Api.Calls.Last(c => c.Method == "answerCallbackQuery").Body["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discord_answers_carry_buttons_and_a_press_is_stored_and_thanked_privately()
    {
        await using var h = await Discord.DiscordHarness.StartAsync();
        var (bot, discord) = (h.Bot, h.Discord);

        await discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message("1100", $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ?", mentionBot: true));
        await discord.WaitForAsync(() => discord.Messages.Count >= 1, "the answer");
        var answer = discord.Messages[0].Body!;
        var button = answer["components"]![0]!["components"]![1]!;
        await discord.DispatchAsync("INTERACTION_CREATE", new JsonObject
        {
            ["id"] = "7001", ["application_id"] = FakeDiscord.ApplicationId, ["type"] = 3, ["token"] = "tok-fb", ["channel_id"] = "1100", ["guild_id"] = "777",
            ["member"] = new JsonObject { ["user"] = new JsonObject { ["id"] = "42" } },
            ["message"] = new JsonObject { ["id"] = "1001", ["channel_id"] = "1100" },
            ["data"] = new JsonObject { ["custom_id"] = button["custom_id"]!.GetValue<string>(), ["component_type"] = 2 },
        });
        await discord.WaitForAsync(() => discord.Rest.Any(r => r.Path == "/interactions/7001/tok-fb/callback"), "the thanks");

        var thanks = discord.Rest.Single(r => r.Path == "/interactions/7001/tok-fb/callback").Body!;
        Assert.Equal(4, thanks["type"]!.GetValue<int>());
        Assert.Equal(64, thanks["data"]!["flags"]!.GetValue<int>());
        // The thanks goes out first (Discord's 3 s deadline); the vote is stored after it.
        var store = bot.Services.GetRequiredService<IFeedbackStore>();
        IReadOnlyList<FeedbackVote> votes = [];
        await discord.WaitForAsync(() => (votes = store.VotesAsync(Ct).GetAwaiter().GetResult()).Count == 1, "the vote stored");
        var vote = Assert.Single(votes);
        Assert.Equal((-1, "42", "1001"), (vote.Vote, vote.UserId, vote.MessageId));
        Assert.Equal(["000_47b6786323e8e5c6"], vote.Citations);
    }
}

public sealed class StaleAnswerAndRetentionTests
{

    [Fact]
    public async Task Answers_given_from_an_article_changed_since_are_counted_in_stats()
    {
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Controls:Admins:0"] = "telegram:7");
        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await t.Api.WaitForSentAsync(1);
        await t.WaitForRecordedConversationAsync();

        var path = t.Bot.ArticlePath("000_47b6786323e8e5c6.txt");
        File.AppendAllText(path, "\n\nCorrection : la base de Hamedan est située dans l'ouest de l'Iran, précise l'agence.\n");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        await t.Bot.SyncAsync();
        t.Api.Send(7, "/stats", userId: 7);
        var stats = (await t.Api.WaitForSentAsync(2))[1].Body["_visible"]!.GetValue<string>();

        Assert.True(stats.Contains("Réponses à revoir (article modifié depuis) : 1.", StringComparison.Ordinal), stats);
    }

    [Fact]
    public async Task Feedback_text_is_forgotten_after_the_retention_days_and_the_vote_kept()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero));
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Conversations:RetentionDays"] = "30";
        bot.Settings["ChatBot:Conversations:TtlHours"] = "2000";
        bot.Configure = builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        await bot.SyncAsync();
        var memory = bot.Services.GetRequiredService<ConversationMemory>();
        var feedback = bot.Services.GetRequiredService<FeedbackService>();
        var origin = new ChatOrigin("telegram", "42", "42");
        await memory.RememberAsync("telegram", "42", ["m1"], [], new ChatTurn("Question ancienne ?", "Réponse ancienne."), Ct);
        await feedback.VoteAsync(origin, "m1", FeedbackService.Up, Ct);

        time.Advance(TimeSpan.FromDays(31));
        await memory.RememberAsync("telegram", "42", ["m2"], [], new ChatTurn("Question récente ?", "Réponse récente."), Ct);
        await feedback.VoteAsync(origin, "m2", FeedbackService.Down, Ct);
        var votes = (await bot.Services.GetRequiredService<IFeedbackStore>().VotesAsync(Ct)).OrderBy(v => v.MessageId).ToList();

        Assert.Equal((1, (string?)null, (string?)null), (votes[0].Vote, votes[0].Question, votes[0].Answer));
        Assert.Equal((-1, "Question récente ?"), (votes[1].Vote, votes[1].Question));
    }
}
