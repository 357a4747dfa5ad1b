using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Discord;

namespace ChatBot.Tests.Discord;

/// <summary>The whole bot (real host, our gateway and REST clients) talking to a <see cref="FakeDiscord"/>, like <see cref="Telegram.TelegramHarness"/>.</summary>
public sealed class DiscordHarness : IAsyncDisposable
{
    private DiscordHarness(TestBot bot, FakeDiscord discord, CapturedLogs logs) => (Bot, Discord, Logs) = (bot, discord, logs);

    public TestBot Bot { get; }
    public FakeDiscord Discord { get; }
    public CapturedLogs Logs { get; }

    /// <param name="time">The bot's clock: a fake one for tests whose replies depend on time (quotas).</param>
    public static async Task<DiscordHarness> StartAsync(Action<TestBot>? configure = null, string token = FakeDiscord.Token, TimeProvider? time = null, Action<FakeDiscord>? fake = null)
    {
        var discord = await FakeDiscord.StartAsync();
        fake?.Invoke(discord);
        var bot = new TestBot();
        var logs = new CapturedLogs();
        bot.Settings["ChatBot:Discord:Token"] = token;
        bot.Settings["ChatBot:Discord:ApiBaseUrl"] = discord.ApiBaseUrl;
        bot.Settings["ChatBot:Discord:DevGuildId"] = "777";
        configure?.Invoke(bot);
        bot.Observe(logs, time);
        await bot.SyncAsync();
        await bot.Host.StartAsync(TestContext.Current.CancellationToken);
        if (token == FakeDiscord.Token)
            await discord.WaitForAsync(() => discord.Rest.Any(r => r.Method == "PUT"), "command registration");
        return new DiscordHarness(bot, discord, logs);
    }

    /// <summary>Waits until the bot has posted <paramref name="count"/> messages in all, and returns them.</summary>
    public async Task<List<FakeDiscord.RestCall>> WaitForMessagesAsync(int count)
    {
        await Discord.WaitForAsync(() => Discord.Messages.Count >= count, $"{count} messages");
        return Discord.Messages.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Bot.DisposeAsync();
        await Discord.DisposeAsync();
    }
}
