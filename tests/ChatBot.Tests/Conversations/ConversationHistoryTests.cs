using System.Text;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;
using ChatBot.Tests.Support;
using ChatBot.Tests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Conversations;

public sealed class ConversationHistoryTests
{

    [Fact]
    public async Task A_reply_to_the_bot_continues_the_conversation_after_a_restart()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.Send(-500, "@CorpusBot À quels pays la Russie a-t-elle exporté le S-400 ?", chatType: "group");
        var first = (await t.Api.WaitForSentAsync(1))[0];
        await t.WaitForRecordedConversationAsync();

        await t.Bot.RestartAsync();
        await t.Bot.Host.StartAsync(Ct);
        t.Api.Send(-500, "Et qui l'a rapporté ?", chatType: "group", replyToMessageId: first.Body["_message_id"]!.GetValue<int>(), replyToBot: true);
        var second = (await t.Api.WaitForSentAsync(2))[1];

        Assert.Contains("Defense News", second.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_StoreQuestions_off_no_question_text_reaches_the_database_and_follow_ups_still_work()
    {
        const string question = "@CorpusBot À quels pays la Russie a-t-elle exporté le S-400 ?";
        await using var t = await TelegramHarness.StartAsync(bot => bot.Settings["ChatBot:Conversations:StoreQuestions"] = "false");
        t.Api.Send(-501, question, chatType: "group");
        var first = (await t.Api.WaitForSentAsync(1))[0];
        t.Api.Send(-501, "Et qui l'a rapporté ?", chatType: "group", replyToMessageId: first.Body["_message_id"]!.GetValue<int>(), replyToBot: true);
        var second = (await t.Api.WaitForSentAsync(2))[1];
        await t.Bot.RestartAsync();

        Assert.Contains("Defense News", second.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(t.Bot.DatabasePath)!))
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            Assert.DoesNotContain("exporté le S-400", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.DoesNotContain("qui l'a rapporté", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task History_keeps_the_last_turns_and_expires_after_its_time_to_live()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Conversations:MaxTurns"] = "3";
        bot.Settings["ChatBot:Conversations:TtlHours"] = "24";
        bot.Configure = builder => builder.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
        await bot.SyncAsync();
        var memory = bot.Services.GetRequiredService<ConversationMemory>();

        IReadOnlyList<ChatTurn> history = [];
        for (var i = 1; i <= 5; i++)
        {
            await memory.RememberAsync("test", "c", [$"m{i}"], history, new ChatTurn($"q{i}", $"a{i}"), Ct);
            history = await memory.HistoryOfAsync("test", "c", $"m{i}", Ct);
        }
        var kept = await memory.HistoryOfAsync("test", "c", "m5", Ct);
        time.Advance(TimeSpan.FromHours(25));
        var expired = await memory.HistoryOfAsync("test", "c", "m5", Ct);

        Assert.Equal(["q3", "q4", "q5"], kept.Select(t => t.Question));
        Assert.Empty(expired);
    }
}
