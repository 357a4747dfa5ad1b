using ChatBot.Telegram;
using ChatBot.Telegram.Sending;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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
        var time = new FakeTimeProvider();
        using var http = new HttpClient();
        var client = new TelegramBotClient(new TelegramBotClientOptions(FakeBotApi.Token, api.BaseUrl) { RetryCount = 0 }, http);
        var sender = new TelegramSender(client, new SendThrottle(time, TimeSpan.Zero, 20), time, Options.Create(new TelegramOptions()), NullLogger<TelegramSender>.Instance);
        var chat = new Chat { Id = 42, Type = ChatType.Private };

        var typing = sender.Typing(chat, threadId: null);
        await WaitForTypingCount(api, 1);
        time.Advance(TimeSpan.FromSeconds(3));
        await Task.Delay(150, TestContext.Current.CancellationToken);
        Assert.Equal(1, api.Calls.Count(c => c.Method == "sendChatAction"));
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForTypingCount(api, 2);
        time.Advance(TimeSpan.FromSeconds(4));
        await WaitForTypingCount(api, 3);
        await typing.DisposeAsync();
        time.Advance(TimeSpan.FromSeconds(8));
        await Task.Delay(200, TestContext.Current.CancellationToken);

        Assert.Equal(3, api.Calls.Count(c => c.Method == "sendChatAction"));
    }

    private static async Task WaitForTypingCount(FakeBotApi api, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (api.Calls.Count(c => c.Method == "sendChatAction") < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} typing actions");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
        // Let the loop register its next delay with the fake clock before the test advances it.
        await Task.Delay(150, TestContext.Current.CancellationToken);
    }
}
