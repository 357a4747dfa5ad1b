using ChatBot.Tests.Support.Discord;
using ChatBot.Tests.Telegram;

namespace ChatBot.Tests.Discord;

public sealed class PlatformIsolationTests
{
    [Fact]
    public async Task Telegram_keeps_serving_when_discord_rejects_its_token()
    {
        await using var discord = await FakeDiscord.StartAsync();
        await using var t = await TelegramHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Discord:Token"] = "wrong-token";
            bot.Settings["ChatBot:Discord:ApiBaseUrl"] = discord.ApiBaseUrl;
        });
        await discord.WaitForAsync(() => t.Logs.Contains("Discord rejected the bot token"), "Discord's fatal error");

        t.Api.Send(42, "Dans quelle région de l'Iran se trouve Hamedan ?");
        var sent = await t.Api.WaitForSentAsync(1);

        Assert.Contains("nord-ouest", sent[0].Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
