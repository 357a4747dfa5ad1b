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

    private static int Typings(FakeBotApi api) => api.Calls.Count(c => c.Method == "sendChatAction");
}
