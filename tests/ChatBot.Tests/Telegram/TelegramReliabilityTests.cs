using ChatBot.Core.Conversation.Controls;
using ChatBot.Tests.Support.Telegram;

namespace ChatBot.Tests.Telegram;

/// <summary>What the real Telegram enforces and the bot must survive: deadlines, thread ids, restarts mid-answer.</summary>
public sealed class TelegramReliabilityTests
{
    private const long PrivateChat = 42;
    private const long Forum = -100777;

    [Fact]
    public async Task A_button_press_is_answered_at_once_even_while_the_answer_before_it_is_still_being_sent()
    {
        await using var t = await TelegramHarness.StartAsync();
        var hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Api.HoldSends = hold;

        t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await FakeBotApi.WaitForAsync(() => t.Api.Calls.Any(c => c.Method == "sendMessage"), "the answer on its way");
        t.Api.Press(PrivateChat, 4242, FeedbackService.Up);
        await FakeBotApi.WaitForAsync(() => t.Api.Calls.Any(c => c.Method == "answerCallbackQuery"), "the press acknowledged");

        // The answer of the same chat is still held: the acknowledgement did not wait for it (nor for the vote).
        Assert.Empty(t.Api.Sent);
        hold.SetResult(true);
        await t.Api.WaitForSentAsync(1);
        Assert.Contains("Merci", t.Api.Calls.First(c => c.Method == "answerCallbackQuery").Body["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_a_forum_topic_gets_its_thread_id_back_an_ordinary_supergroup_reply_chain_does_not()
    {
        await using var t = await TelegramHarness.StartAsync();

        var plain = t.Api.Send(Forum, "@CorpusBot Dans quelle région de l'Iran se trouve Hamedan ?", chatType: "supergroup", threadId: 31);
        var sent = await t.Api.WaitForSentAsync(1);
        var inTopic = t.Api.Send(Forum, "@CorpusBot Dans quelle région de l'Iran se trouve Hamedan ?", chatType: "supergroup", threadId: 77, topic: true);
        sent = await t.Api.WaitForSentAsync(2);

        Assert.Equal(plain, sent[0].Body["reply_parameters"]!["message_id"]!.GetValue<int>());
        Assert.Null(sent[0].Body["message_thread_id"]); // Telegram would answer 400 "message thread not found"
        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(inTopic, sent[1].Body["reply_parameters"]!["message_id"]!.GetValue<int>());
        Assert.Equal(77, sent[1].Body["message_thread_id"]!.GetValue<int>());
        Assert.DoesNotContain(t.Api.Calls, c => c.Method == "sendChatAction" && c.Body["message_thread_id"]?.GetValue<int>() == 31);
    }

    [Fact]
    public async Task A_question_in_flight_when_the_bot_stops_is_answered_once_after_the_restart()
    {
        await using var t = await TelegramHarness.StartAsync(b => b.Settings["ChatBot:Adapters:ShutdownGraceSeconds"] = "0.2");
        var hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Api.HoldSends = hold;

        var question = t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await FakeBotApi.WaitForAsync(() => t.Api.Calls.Any(c => c.Method == "sendMessage"), "the answer on its way");
        // Telegram was told the update arrived (the next getUpdates confirms it): it will never deliver it again.
        await FakeBotApi.WaitForAsync(() => t.Api.PendingUpdates == 0 && t.Api.Calls.Count(c => c.Method == "getUpdates") >= 2, "the update confirmed");

        await t.Bot.RestartAsync(); // the held answer is cut off after the grace period: Telegram never got it
        t.Api.HoldSends = null;
        hold.SetResult(false); // the cut-off attempt never reached Telegram
        await t.Bot.Host.StartAsync(TestContext.Current.CancellationToken);
        var sent = await t.Api.WaitForSentAsync(1).ContinueWith(r => r.IsFaulted ? throw new Xunit.Sdk.XunitException(string.Join("\n", t.Logs.Entries.Select(e => e.Message))) : r.Result, TaskScheduler.Default);

        Assert.Equal(question, sent[0].Body["reply_parameters"]!["message_id"]!.GetValue<int>());
        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        // A third start finds nothing left to do: the replayed answer was marked done.
        await t.Bot.RestartAsync();
        await t.Bot.Host.StartAsync(TestContext.Current.CancellationToken);
        t.Api.Send(PrivateChat, "/help");
        await t.Api.WaitForSentAsync(2);
        Assert.Single(t.Api.Sent, s => s.Body["reply_parameters"]?["message_id"]?.GetValue<int>() == question);
    }

    [Fact]
    public async Task A_vote_pressed_too_late_is_still_recorded_and_the_refusal_is_one_log_line()
    {
        await using var t = await TelegramHarness.StartAsync();
        t.Api.CallbackDeadline = TimeSpan.Zero; // every acknowledgement arrives "too old"

        t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var answer = (await t.Api.WaitForSentAsync(1))[0];
        await t.WaitForRecordedConversationAsync();
        t.Api.Press(PrivateChat, answer.Body["_message_id"]!.GetValue<int>(), FeedbackService.Down);
        await FakeBotApi.WaitForAsync(() => t.Logs.Contains("query is too old"), "the refusal logged");
        t.Api.Send(PrivateChat, "/help");
        await t.Api.WaitForSentAsync(2); // the loop goes on

        Assert.Single(t.Logs.Entries, e => e.Message.Contains("query is too old", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_webhook_mode_refuses_to_start_without_a_secret()
    {
        using var root = new Support.TempFolder();
        var settings = new Dictionary<string, string?>
        {
            ["ChatBot:Store:Path"] = root.Combine("chatbot.db"),
            ["ChatBot:Telegram:Token"] = FakeBotApi.Token,
            ["ChatBot:Telegram:Mode"] = "Webhook",
            ["ChatBot:Telegram:WebhookUrl"] = "https://bot.example.org/telegram",
        };
        using var host = ChatBot.Hosting.BotHost.CreateBuilder(root.Path, settings, Microsoft.Extensions.Logging.LogLevel.Warning).Build();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("ChatBot:Telegram:WebhookSecret", error.Message, StringComparison.Ordinal);
    }
}
