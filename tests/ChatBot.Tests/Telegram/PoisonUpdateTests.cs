using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Indexing;
using ChatBot.Telegram.Webhook;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatBot.Tests.Telegram;

/// <summary>
/// Never deaf: one update the bot cannot read or handle is set aside (parked in the inbox, logged once) and the
/// offset, the webhook and the start-up replay all move past it to the updates behind it.
/// </summary>
public sealed class PoisonUpdateTests
{
    private const long PrivateChat = 42;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_update_the_client_cannot_read_is_parked_and_the_questions_after_it_are_answered()
    {
        await using var t = await TelegramHarness.StartAsync();

        // A field of the wrong type: the client library cannot read the update, and with it the whole batch.
        var poison = t.Api.SendRaw(new JsonObject { ["message_id"] = "not a number", ["date"] = 1732400000, ["chat"] = new JsonObject { ["id"] = PrivateChat, ["type"] = "private" }, ["text"] = "bonjour" });
        t.Api.Send(PrivateChat, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var sent = await t.Api.WaitForSentAsync(1);

        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        await FakeBotApi.WaitForAsync(() => t.Api.PendingUpdates == 0, "the offset moved past both updates");
        var parked = await t.Bot.Services.GetRequiredService<DurableInbox>().ParkedAsync(Ct);
        Assert.Equal(1, parked.Count);
        Assert.StartsWith("the update cannot be read", parked.LastReason, StringComparison.Ordinal);
        Assert.Single(t.Logs.Entries, e => e.Message.Contains($"update {FakeBotApi.Token.Split(':')[0]}:{poison} set aside", StringComparison.Ordinal));
        Assert.DoesNotContain(t.Logs.Entries, e => e.Message.Contains("bonjour", StringComparison.Ordinal)); // no user text in the log
    }

    [Theory]
    [InlineData(true)] // escaped in the JSON ("\ud800"): valid JSON, invalid text
    [InlineData(false)] // as raw bytes (ED A0 80): not even UTF-8
    public async Task A_question_with_a_lone_surrogate_is_answered_and_does_not_hold_up_the_next(bool escaped)
    {
        await using var t = await TelegramHarness.StartAsync();

        t.Api.SendRaw(new JsonObject
        {
            ["message_id"] = 5, ["date"] = 1732400000, ["chat"] = new JsonObject { ["id"] = PrivateChat, ["type"] = "private", ["first_name"] = "Ada" },
            ["from"] = new JsonObject { ["id"] = PrivateChat, ["is_bot"] = false, ["first_name"] = "Ada" },
            ["text"] = "Où se trouve Hamedan " + (escaped ? "\ud800" : FakeBotApi.LoneSurrogateBytes) + " ?",
        });
        t.Api.Send(PrivateChat + 1, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var sent = await t.Api.WaitForSentAsync(2);

        Assert.All(sent, s => Assert.Contains("nord-ouest", s.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal));
        await FakeBotApi.WaitForAsync(() => t.Api.PendingUpdates == 0, "the offset moved past both updates");
    }

    [Fact]
    public async Task A_webhook_update_without_a_chat_gets_200_is_parked_and_the_next_is_answered()
    {
        var port = FreePort();
        await using var t = await StartWebhookAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var withoutChat = """{"update_id": 30, "message": {"message_id": 300, "date": 1732400000, "text": "Où est Hamedan ?"}}""";
        var good = """
            {"update_id": 31, "message": {"message_id": 310, "date": 1732400000, "chat": {"id": 42, "type": "private", "first_name": "Ada"},
             "from": {"id": 42, "is_bot": false, "first_name": "Ada"}, "text": "Dans quelle région de l'Iran se trouve Hamedan ?"}}
            """;

        var first = await PostAsync(http, withoutChat);
        var second = await PostAsync(http, good);
        var sent = await t.Api.WaitForSentAsync(1);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first, second));
        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(1, (await t.Bot.Services.GetRequiredService<DurableInbox>().ParkedAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_flood_of_refused_webhook_requests_is_counted_and_logged_once_a_minute()
    {
        var port = FreePort();
        await using var t = await StartWebhookAsync(port, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await PostAsync(http, "{}", secret: "guess-" + i));

        var service = t.Bot.Services.GetRequiredService<TelegramWebhookService>();
        Assert.Equal(50, service.Refused);
        Assert.Single(t.Logs.Entries, e => e.Message.Contains("request refused", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bad_stored_update_never_blocks_the_start_up_replay_of_the_questions_behind_it()
    {
        await using var t = await TelegramHarness.StartAsync();
        var store = t.Bot.Services.GetRequiredService<IInboxStore>();
        var owner = t.Bot.Services.GetRequiredService<IOptions<StoreOptions>>().Value.EffectiveReplicaName;
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        // Left by a crashed run: first an update without a chat (the dispatcher threw on it), then five questions.
        await store.AcceptAsync(new InboxItem("telegram", "500", "Message", """{"update_id":500,"message":{"message_id":1,"date":1732400000,"text":"?"}}""", at), owner, Ct);
        for (var i = 1; i <= 5; i++)
        {
            var json = $$$"""{"update_id":{{{500 + i}}},"message":{"message_id":{{{10 + i}}},"date":1732400000,"chat":{"id":{{{PrivateChat + i}}},"type":"private","first_name":"Ada"},"from":{"id":{{{PrivateChat + i}}},"is_bot":false,"first_name":"Ada"},"text":"Dans quelle région de l'Iran se trouve Hamedan ?"}}""";
            await store.AcceptAsync(new InboxItem("telegram", (500 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "Message", json, at.AddSeconds(i)), owner, Ct);
        }

        await t.Bot.RestartAsync();
        await t.Bot.Host.StartAsync(Ct);
        var sent = await t.Api.WaitForSentAsync(5);

        Assert.Equal(5, sent.Select(s => s.Body["chat_id"]!.GetValue<long>()).Distinct().Count());
        var parked = await t.Bot.Services.GetRequiredService<DurableInbox>().ParkedAsync(Ct);
        Assert.Equal((1, "a message without a chat"), (parked.Count, parked.LastReason));
    }

    [Fact]
    public async Task An_item_still_unanswered_after_three_start_ups_is_parked_and_not_handed_over_again()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var store = bot.Services.GetRequiredService<IInboxStore>();
        var inbox = bot.Services.GetRequiredService<DurableInbox>();
        var owner = bot.Services.GetRequiredService<IOptions<StoreOptions>>().Value.EffectiveReplicaName;
        await store.AcceptAsync(new InboxItem("telegram", "1", "Message", "{}", DateTimeOffset.UtcNow.AddMinutes(-5)), owner, Ct);

        // Three start-ups handed it over and each died before answering it.
        for (var start = 0; start < DurableInbox.MaxAttempts; start++)
            Assert.Single(await store.ClaimPendingAsync("telegram", owner, DateTimeOffset.UtcNow, DurableInbox.TakeOverAfter, Ct));
        var afterThree = await inbox.ClaimPendingAsync("telegram", Ct);

        Assert.Empty(afterThree);
        var parked = await inbox.ParkedAsync(Ct);
        Assert.Equal(1, parked.Count);
        Assert.Contains("start-ups", parked.LastReason, StringComparison.Ordinal);
        Assert.False(await inbox.AcceptAsync("telegram", "1", "Message", "{}", Ct)); // a redelivery stays ignored
    }

    private static Task<TelegramHarness> StartWebhookAsync(int port, TimeProvider? time = null) => TelegramHarness.StartAsync(bot =>
    {
        bot.Settings["ChatBot:Telegram:Mode"] = "Webhook";
        bot.Settings["ChatBot:Telegram:WebhookUrl"] = "https://bot.example.org/telegram/updates";
        bot.Settings["ChatBot:Telegram:WebhookSecret"] = "s3cret-Token";
        bot.Settings["ChatBot:Telegram:WebhookListenUrl"] = $"http://127.0.0.1:{port}";
    }, time: time);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string json, string secret = "s3cret-Token")
    {
        HttpStatusCode status = 0;
        await Eventually.WaitAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/updates") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add(TelegramWebhookService.SecretHeader, secret);
            try
            {
                using var response = await http.SendAsync(request, Ct);
                status = response.StatusCode;
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the webhook endpoint answered");
        return status;
    }
}

public sealed class UpstreamErrorTests
{
    [Fact]
    public async Task An_upstream_error_body_that_echoes_the_token_is_logged_scrubbed_and_short()
    {
        await using var t = await TelegramHarness.StartAsync();
        var echo = $"proxy error for POST /bot{FakeBotApi.Token}/sendMessage " + new string('x', 5000);
        t.Api.FailNext("getUpdates", new FakeBotApi.Fault(502, echo));
        t.Api.FailNext("sendMessage", new FakeBotApi.Fault(502, echo));

        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        await t.Api.WaitForSentAsync(1);

        var upstream = t.Logs.Entries.Where(e => e.Message.Contains("proxy error", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(upstream);
        Assert.All(upstream, e => Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], e.Message, StringComparison.Ordinal));
        Assert.All(upstream, e => Assert.True(e.Message.Length < 1000, $"{e.Message.Length} characters"));
    }
}
