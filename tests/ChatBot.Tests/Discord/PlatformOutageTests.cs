using ChatBot.Core.Conversation.Adapters;
using ChatBot.Discord.Bot;
using ChatBot.Telegram.Polling;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Discord;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ChatBot.Tests.Discord;

/// <summary>
/// Both platforms in one process on a fake clock: while one is down for ten minutes, the other keeps answering, the
/// process stays up, and the one that was down is back one backoff step after its platform is.
/// </summary>
public sealed class PlatformOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(10);

    private sealed class Harness : IAsyncDisposable
    {
        public required FakeDiscord Discord { get; init; }
        public required FakeBotApi Telegram { get; init; }
        public required TestBot Bot { get; init; }
        public required FakeTimeProvider Time { get; init; }
        public required CapturedLogs Logs { get; init; }

        public T Adapter<T>() where T : SupervisedAdapter => Bot.Services.GetServices<IHostedService>().OfType<T>().Single();

        public async ValueTask DisposeAsync()
        {
            await Bot.DisposeAsync();
            await Discord.DisposeAsync();
            await Telegram.DisposeAsync();
        }
    }

    private static async Task<Harness> StartAsync(Action<FakeDiscord, FakeBotApi> breakBefore)
    {
        var discord = await FakeDiscord.StartAsync();
        discord.HeartbeatIntervalMs = 86_400_000; // a day on the fake clock: no heartbeat races the test's clock jumps
        discord.SendRateLimitHeaders = false; // per-bucket waits would be on the fake clock, which moves only between steps
        var telegram = await FakeBotApi.StartAsync();
        breakBefore(discord, telegram);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        var bot = new TestBot();
        bot.Settings["ChatBot:Discord:Token"] = FakeDiscord.Token;
        bot.Settings["ChatBot:Discord:ApiBaseUrl"] = discord.ApiBaseUrl;
        bot.Settings["ChatBot:Telegram:Token"] = FakeBotApi.Token;
        bot.Settings["ChatBot:Telegram:BaseUrl"] = telegram.BaseUrl;
        bot.Settings["ChatBot:Telegram:PollTimeoutSeconds"] = "1";
        bot.Settings["ChatBot:Telegram:PerChatIntervalMs"] = "0";
        bot.Settings["ChatBot:Controls:UserQuestionsPerMinute"] = "1000";
        bot.Settings["ChatBot:Adapters:ShutdownGraceSeconds"] = "2"; // whatever the fake clock left waiting is cut off quickly at the end
        bot.Configure = builder =>
        {
            builder.Logging.AddProvider(logs);
            builder.Services.AddSingleton<TimeProvider>(time);
        };
        await bot.SyncAsync();
        await bot.Host.StartAsync(TestContext.Current.CancellationToken);
        return new Harness { Discord = discord, Telegram = telegram, Bot = bot, Time = time, Logs = logs };
    }

    /// <summary>Waits for the adapter's next restart to be scheduled and moves the fake clock to it; returns the step.</summary>
    private static async Task<TimeSpan> NextRestartAsync(Harness h, SupervisedAdapter adapter)
    {
        DateTimeOffset due = default;
        await FakeBotApi.WaitForAsync(() => adapter.RestartDue is { } d && d > h.Time.GetUtcNow() && (due = d) != default, adapter.Platform + " restart scheduled");
        var step = due - h.Time.GetUtcNow();
        h.Time.Advance(step);
        return step;
    }

    private static int _next;

    /// <summary>
    /// Asks on Discord and waits until the bot has finished with the question (its inbox entry marked done), not only
    /// until the reply reached the fake: the clock must not jump while a request is still in flight (its deadline is
    /// on that clock).
    /// </summary>
    private static async Task AskDiscordAsync(Harness h)
    {
        var before = h.Discord.Messages.Count;
        var done = Handled(h, "discord");
        await h.Discord.DispatchAsync("MESSAGE_CREATE", FakeDiscord.Message("1100", $"<@{FakeDiscord.BotId}> Dans quelle région de l'Iran se trouve Hamedan ? ({Interlocked.Increment(ref _next)})", mentionBot: true));
        await h.Discord.WaitForAsync(() => h.Discord.Messages.Count > before && Handled(h, "discord") > done, "a Discord answer");
        Assert.Contains("nord-ouest", h.Discord.Messages[^1].Body!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task AskTelegramAsync(Harness h)
    {
        var before = h.Telegram.Sent.Count;
        var done = Handled(h, "telegram");
        h.Telegram.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await FakeBotApi.WaitForAsync(() => h.Telegram.Sent.Count > before && Handled(h, "telegram") > done, "a Telegram answer");
        Assert.Contains("nord-ouest", h.Telegram.Sent[^1].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>How many updates of the platform the bot has finished with (marked done in its inbox).</summary>
    private static int Handled(Harness h, string platform) => InboxProbe.Done(h.Bot.DatabasePath, platform);

    [Fact]
    public async Task Telegram_down_for_ten_minutes_Discord_keeps_answering_and_Telegram_is_back_one_step_after_it()
    {
        await using var h = await StartAsync((_, telegram) => telegram.Outage = true);
        var adapter = h.Adapter<TelegramAdapter>();
        await h.Discord.WaitForAsync(() => h.Discord.Rest.Any(r => r.Method == "PUT"), "Discord connected");

        var elapsed = TimeSpan.Zero;
        var steps = new List<TimeSpan>();
        while (elapsed < Outage)
        {
            await AskDiscordAsync(h);
            var step = await NextRestartAsync(h, adapter);
            steps.Add(step);
            elapsed += step;
        }
        await AskDiscordAsync(h);
        await FakeBotApi.WaitForAsync(() => adapter.RestartDue > h.Time.GetUtcNow(), "the attempt after the last step failed");

        Assert.Equal(AdapterState.Restarting, adapter.State);
        Assert.True(steps[^1] <= TimeSpan.FromSeconds(72), "capped at 60 s ± 20 %: " + steps[^1]);
        Assert.True(steps[1] > steps[0] && steps[2] > steps[1], "the first steps grow");
        var lines = h.Logs.Entries.Where(e => e.Category.Contains("Telegram", StringComparison.Ordinal) && e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
        Assert.True(steps.Count + 1 == lines.Count(l => l.StartsWith("Telegram adapter failed", StringComparison.Ordinal)), string.Join("\n", lines)); // one line per attempt
        Assert.False(h.Bot.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);

        h.Telegram.Outage = false;
        var restarts = adapter.Restarts;
        var connected = adapter.NextConnected;
        await NextRestartAsync(h, adapter);
        await connected.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await AskTelegramAsync(h);
        Assert.Equal(restarts, adapter.Restarts); // the restart already scheduled reconnected: no further failure, no further step
        Assert.Equal(AdapterState.Running, adapter.State);
    }

    [Fact]
    public async Task Discord_down_for_ten_minutes_Telegram_keeps_answering_and_Discord_is_back_one_step_after_it()
    {
        await using var h = await StartAsync((discord, _) => discord.GatewayBotFailure = 502);
        var adapter = h.Adapter<DiscordAdapter>();

        var elapsed = TimeSpan.Zero;
        var steps = 0;
        while (elapsed < Outage)
        {
            await AskTelegramAsync(h);
            elapsed += await NextRestartAsync(h, adapter);
            steps++;
        }
        await AskTelegramAsync(h);
        await FakeBotApi.WaitForAsync(() => adapter.RestartDue > h.Time.GetUtcNow(), "the attempt after the last step failed");
        Assert.Equal(steps + 1, h.Discord.Rest.Count(r => r.Path == "/gateway/bot")); // one try per attempt, no hidden retries
        Assert.Equal(AdapterState.Restarting, adapter.State);

        h.Discord.GatewayBotFailure = null;
        var restarts = adapter.Restarts;
        var connected = adapter.NextConnected;
        await NextRestartAsync(h, adapter);
        await connected.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await AskDiscordAsync(h);
        Assert.Equal(restarts, adapter.Restarts);
    }

    [Fact]
    public async Task A_gateway_endpoint_that_never_answers_is_a_failure_to_retry_not_a_hang()
    {
        await using var h = await StartAsync((discord, _) => discord.GatewayBotHangs = true);
        var adapter = h.Adapter<DiscordAdapter>();
        await h.Discord.WaitForAsync(() => h.Discord.Rest.Any(r => r.Path == "/gateway/bot"), "the first try");

        h.Discord.GatewayBotHangs = false;
        var connected = adapter.NextConnected;
        h.Time.Advance(TimeSpan.FromSeconds(31)); // the request's own deadline, on the bot's clock
        // A request that timed out is a connection failure: the gateway's reconnect loop waits its backoff step.
        var gateway = h.Bot.Services.GetRequiredService<ChatBot.Discord.Client.Gateway.DiscordGatewayClient>();
        ChatBot.Discord.Client.Gateway.GatewayWait? wait = null;
        await FakeBotApi.WaitForAsync(() => (wait = gateway.Waiting.FirstOrDefault(w => w.Reason == "reconnect" && w.Due > h.Time.GetUtcNow())) is not null, "the reconnect step");
        h.Time.Advance(wait!.Due - h.Time.GetUtcNow());
        await connected.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await AskDiscordAsync(h);
    }
}
