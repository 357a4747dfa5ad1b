using ChatBot.Telegram;
using ChatBot.Telegram.Sending;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatBot.Tests.Telegram;

public sealed class TelegramSenderTests
{
    [Fact]
    public async Task Typing_is_renewed_every_four_seconds_until_the_work_is_done()
    {
        await using var api = await FakeBotApi.StartAsync();
        var time = new TimerProbe();
        using var http = new HttpClient();
        var client = new TelegramBotClient(new TelegramBotClientOptions(FakeBotApi.Token, api.BaseUrl) { RetryCount = 0 }, http);
        var sender = new TelegramSender(client, new SendThrottle(time, TimeSpan.Zero, 20), time, Options.Create(new TelegramOptions()), NullLogger<TelegramSender>.Instance);
        var chat = new Chat { Id = 42, Type = ChatType.Private };

        var typing = sender.Typing(chat, threadId: null);
        await time.WaitForTimersAsync(1); // the first action went out; the loop waits on the clock
        Assert.Equal(1, Typings(api));
        time.Advance(TimeSpan.FromSeconds(4));
        await time.WaitForTimersAsync(2);
        Assert.Equal(2, Typings(api));
        time.Advance(TimeSpan.FromSeconds(4));
        await time.WaitForTimersAsync(3);
        Assert.Equal(3, Typings(api));
        await typing.DisposeAsync(); // returns once the loop has ended
        time.Advance(TimeSpan.FromSeconds(8));

        Assert.Equal(3, Typings(api));
        Assert.All(time.DueTimes, due => Assert.Equal(TimeSpan.FromSeconds(4), due));
    }

    [Fact]
    public async Task Sends_to_one_chat_are_spaced_by_the_flood_interval()
    {
        await using var api = await FakeBotApi.StartAsync();
        var time = new TimerProbe();
        using var http = new HttpClient();
        var client = new TelegramBotClient(new TelegramBotClientOptions(FakeBotApi.Token, api.BaseUrl) { RetryCount = 0 }, http);
        var sender = new TelegramSender(client, new SendThrottle(time, TimeSpan.FromSeconds(1), 20), time, Options.Create(new TelegramOptions()), NullLogger<TelegramSender>.Instance);
        var chat = new Chat { Id = 42, Type = ChatType.Private };

        await sender.SendAsync(chat, ["first"], replyTo: null, threadId: null, TestContext.Current.CancellationToken);
        var second = sender.SendAsync(chat, ["second"], replyTo: null, threadId: null, TestContext.Current.CancellationToken);

        // The second message waits for the chat's next slot, one second on (the clock only moves when told).
        await time.WaitForTimerAsync(due => due == TimeSpan.FromSeconds(1), "the chat's next slot");
        Assert.Equal(1, Messages(api));
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second;
        Assert.Equal(2, Messages(api));
    }

    private static int Messages(FakeBotApi api) => api.Calls.Count(c => c.Method == "sendMessage");

    private static int Typings(FakeBotApi api) => api.Calls.Count(c => c.Method == "sendChatAction");
}
