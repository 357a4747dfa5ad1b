using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Telegram;

/// <summary>The whole bot (real host, real Telegram.Bot client) talking to a <see cref="FakeBotApi"/>.</summary>
public sealed class TelegramHarness : IAsyncDisposable
{
    private TelegramHarness(TestBot bot, FakeBotApi api, CapturedLogs logs) => (Bot, Api, Logs) = (bot, api, logs);

    public TestBot Bot { get; }
    public FakeBotApi Api { get; }
    public CapturedLogs Logs { get; }

    /// <param name="time">The bot's clock: a fake one for tests whose replies depend on time (quotas).</param>
    public static async Task<TelegramHarness> StartAsync(Action<TestBot>? configure = null, string token = FakeBotApi.Token, TimeProvider? time = null)
    {
        var api = await FakeBotApi.StartAsync();
        var bot = new TestBot();
        var logs = new CapturedLogs();
        bot.Settings["ChatBot:Telegram:Token"] = token;
        bot.Settings["ChatBot:Telegram:BaseUrl"] = api.BaseUrl;
        bot.Settings["ChatBot:Telegram:PollTimeoutSeconds"] = "1";
        bot.Settings["ChatBot:Telegram:PerChatIntervalMs"] = "0";
        configure?.Invoke(bot);
        bot.Observe(logs, time);
        await bot.SyncAsync();
        await bot.Host.StartAsync(TestContext.Current.CancellationToken);
        return new TelegramHarness(bot, api, logs);
    }

    /// <summary>
    /// Waits until an exchange is in the conversation store: the bot records it just after sending the answer, so a
    /// test that restarts the bot or changes an article right after receiving it must wait for this first.
    /// </summary>
    public async Task WaitForRecordedConversationAsync()
    {
        var conversations = Bot.Services.GetRequiredService<ChatBot.Core.Conversation.Memory.IConversationStore>();
        await Eventually.WaitAsync(async () => (await conversations.RecentAsync(DateTimeOffset.UtcNow.AddHours(-1), TestContext.Current.CancellationToken)).Count > 0, "a conversation recorded");
    }

    /// <summary>Waits until <paramref name="count"/> updates are marked done in the inbox: handled, replied to or not.</summary>
    public Task WaitForHandledAsync(int count, TimeSpan? timeout = null) => InboxProbe.WaitForDoneAsync(Bot.DatabasePath, count, timeout);

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Api.DisposeAsync();
    }
}
