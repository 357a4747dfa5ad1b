using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Telegram;

/// <summary>The whole bot (real host, real Telegram.Bot client) talking to a <see cref="FakeBotApi"/>.</summary>
public sealed class TelegramHarness : IAsyncDisposable
{
    private TelegramHarness(TestBot bot, FakeBotApi api, CapturedLogs logs) => (Bot, Api, Logs) = (bot, api, logs);

    public TestBot Bot { get; }
    public FakeBotApi Api { get; }
    public CapturedLogs Logs { get; }

    public static async Task<TelegramHarness> StartAsync(Action<TestBot>? configure = null, string token = FakeBotApi.Token)
    {
        var api = await FakeBotApi.StartAsync();
        var bot = new TestBot();
        var logs = new CapturedLogs();
        bot.Settings["ChatBot:Telegram:Token"] = token;
        bot.Settings["ChatBot:Telegram:BaseUrl"] = api.BaseUrl;
        bot.Settings["ChatBot:Telegram:PollTimeoutSeconds"] = "1";
        bot.Settings["ChatBot:Telegram:PerChatIntervalMs"] = "0";
        configure?.Invoke(bot);
        var own = bot.Configure;
        bot.Configure = builder =>
        {
            builder.Logging.AddProvider(logs);
            own?.Invoke(builder);
        };
        await bot.SyncAsync();
        await bot.Host.StartAsync(TestContext.Current.CancellationToken);
        return new TelegramHarness(bot, api, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Api.DisposeAsync();
    }
}
