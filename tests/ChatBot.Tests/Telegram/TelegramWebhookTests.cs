using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatBot.Telegram.Webhook;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;

namespace ChatBot.Tests.Telegram;

public sealed class TelegramWebhookTests
{
    [Fact]
    public async Task Webhook_mode_registers_the_url_checks_the_secret_and_answers_updates()
    {
        var port = FreePort();
        await using var t = await StartWebhookAsync(port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var update = """
            {"update_id": 7, "message": {"message_id": 70, "date": 1732400000, "chat": {"id": 42, "type": "private", "first_name": "Ada"},
             "from": {"id": 42, "is_bot": false, "first_name": "Ada"}, "text": "Dans quelle région de l'Iran se trouve Hamedan ?"}}
            """;

        var refused = await PostAsync(http, update, "wrong");
        var missing = await PostAsync(http, update, null);
        var accepted = await PostAsync(http, update, "s3cret-Token");
        var sent = await t.Api.WaitForSentAsync(1);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.OK), (refused, missing, accepted));
        var setWebhook = Assert.Single(t.Api.Calls, c => c.Method == "setWebhook");
        Assert.Equal("https://bot.example.org/telegram/updates", setWebhook.Body["url"]!.GetValue<string>());
        Assert.Equal("s3cret-Token", setWebhook.Body["secret_token"]!.GetValue<string>());
        Assert.DoesNotContain(t.Api.Calls, c => c.Method == "getUpdates");
        Assert.Single(sent);
        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_webhook_answers_200_only_once_the_update_is_stored_and_a_redelivery_is_answered_once()
    {
        var port = FreePort();
        await using var t = await StartWebhookAsync(port);
        var hold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        t.Api.HoldSends = hold;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var update = """
            {"update_id": 8, "message": {"message_id": 80, "date": 1732400000, "chat": {"id": 42, "type": "private", "first_name": "Ada"},
             "from": {"id": 42, "is_bot": false, "first_name": "Ada"}, "text": "Dans quelle région de l'Iran se trouve Hamedan ?"}}
            """;

        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, update, "s3cret-Token"));
        var stored = InboxProbe.Keys(t.Bot.DatabasePath, "telegram"); // read as soon as the 200 arrived, while the answer is held
        Assert.Equal(HttpStatusCode.OK, await PostAsync(http, update, "s3cret-Token")); // Telegram delivers again
        hold.SetResult(true);
        await t.Api.WaitForSentAsync(1);
        await t.WaitForHandledAsync(1);

        Assert.Equal([FakeBotApi.Token.Split(':')[0] + ":8"], stored); // keyed by the bot's own id and the update's: update ids are per bot
        Assert.Single(t.Api.Sent);
    }

    private static Task<TelegramHarness> StartWebhookAsync(int port) => TelegramHarness.StartAsync(bot =>
    {
        bot.Settings["ChatBot:Telegram:Mode"] = "Webhook";
        bot.Settings["ChatBot:Telegram:WebhookUrl"] = "https://bot.example.org/telegram/updates";
        bot.Settings["ChatBot:Telegram:WebhookSecret"] = "s3cret-Token";
        bot.Settings["ChatBot:Telegram:WebhookListenUrl"] = $"http://127.0.0.1:{port}";
    });

    /// <summary>Posts the update once the endpoint accepts connections (it starts with the host, on its own).</summary>
    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string json, string? secret)
    {
        HttpStatusCode status = 0;
        await Eventually.WaitAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/telegram/updates") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            if (secret is not null)
                request.Headers.Add(TelegramWebhookService.SecretHeader, secret);
            try
            {
                using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
                status = response.StatusCode;
                return true;
            }
            catch (HttpRequestException)
            {
                return false; // not listening yet
            }
        }, "the webhook endpoint answered");
        return status;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
