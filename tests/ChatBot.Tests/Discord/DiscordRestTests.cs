using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Discord.Bot;
using ChatBot.Discord.Client.Model;
using ChatBot.Discord.Client.Rest;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Discord;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatBot.Tests.Discord;

public sealed class DiscordRestTests : IAsyncLifetime
{
    private FakeDiscord _discord = null!;
    private HttpClient _http = null!;
    private DiscordRestClient _rest = null!;
    private readonly DiscordRateLimiter _limiter = new(TimeProvider.System);

    public async ValueTask InitializeAsync()
    {
        _discord = await FakeDiscord.StartAsync();
        _http = new HttpClient();
        _rest = new DiscordRestClient(_http, _limiter, FakeDiscord.Token, _discord.ApiBaseUrl, TimeProvider.System, NullLogger<DiscordRestClient>.Instance);
    }

    /// <summary>A client of the fake Discord on the test's own clock: its waits are timers the test sees and releases.</summary>
    private DiscordRestClient RestOn(TimerProbe time, DiscordRateLimiter limiter) =>
        new(_http, limiter, FakeDiscord.Token, _discord.ApiBaseUrl, time, NullLogger<DiscordRestClient>.Instance);

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _discord.DisposeAsync();
    }

    [Fact]
    public async Task A_429_delays_the_next_call_on_that_bucket_by_retry_after_but_not_other_buckets()
    {
        // On a clock of the test's own: the wait is seen as a timer, and nothing moves until the test moves the clock.
        var time = new TimerProbe(DateTimeOffset.UtcNow);
        var rest = RestOn(time, new DiscordRateLimiter(time));
        _discord.RateLimitNext("/channels/1/messages", retryAfter: 0.6);

        var limited = rest.CreateMessageAsync("1", new MessagePayload { Content = "bonjour" }, Ct);
        await time.WaitForTimerAsync(due => due > TimeSpan.FromSeconds(0.5) && due <= TimeSpan.FromSeconds(0.7), "the wait of the 429's retry_after");
        await rest.CreateMessageAsync("2", new MessagePayload { Content = "ailleurs" }, Ct); // another bucket: at once
        var beforeTheWait = _discord.Rest.Count(r => r.Path == "/channels/1/messages");
        var heldDuringTheWait = !limited.IsCompleted;
        time.Advance(TimeSpan.FromSeconds(0.6));
        await limited;

        Assert.Equal(1, beforeTheWait);
        Assert.True(heldDuringTheWait, "the limited bucket waited out retry_after");
        Assert.Equal(2, _discord.Rest.Count(r => r.Path == "/channels/1/messages"));
        Assert.Single(_discord.Rest, r => r.Path == "/channels/2/messages");
    }

    [Fact]
    public async Task A_global_pause_does_not_hold_an_interaction_callback_which_Discord_exempts()
    {
        var time = new TimerProbe(DateTimeOffset.UtcNow);
        var rest = RestOn(time, new DiscordRateLimiter(time));
        _discord.RateLimitNext("/channels/1/messages", retryAfter: 5, global: true);
        var limited = rest.CreateMessageAsync("1", new MessagePayload { Content = "un" }, Ct);
        await time.WaitForTimerAsync(due => due > TimeSpan.FromSeconds(4) && due <= TimeSpan.FromSeconds(5), "the global pause");

        // The clock stands still: the callback goes through without waiting for any of the pause (a watchdog, not a deadline).
        await rest.RespondToInteractionAsync("7001", "tok", new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
        var stillWaiting = !limited.IsCompleted; // the ordinary route is still waiting out the pause
        time.Advance(TimeSpan.FromSeconds(5));
        await limited;

        Assert.Single(_discord.Rest, r => r.Path == "/interactions/7001/tok/callback");
        Assert.True(stillWaiting);
    }

    [Fact]
    public async Task A_global_429_pauses_every_route()
    {
        var time = new TimerProbe(DateTimeOffset.UtcNow);
        var limiter = new DiscordRateLimiter(time);
        var rest = RestOn(time, limiter);
        _discord.RateLimitNext("/channels/1/messages", retryAfter: 0.6, global: true);

        var first = rest.CreateMessageAsync("1", new MessagePayload { Content = "un" }, Ct);
        await time.WaitForTimerAsync(due => due > TimeSpan.FromSeconds(0.5) && due <= TimeSpan.FromSeconds(0.7), "the global pause"); // the 429 was read
        var typing = rest.TriggerTypingAsync("3", Ct); // another route, under the same global pause
        // It waits on the clock too: the first call's request deadline and retry wait, then this wait.
        await time.WaitForTimerAsync(_ => time.DueTimes.Count(d => d > TimeSpan.FromSeconds(0.5) && d <= TimeSpan.FromSeconds(0.7)) >= 2, "the typing's wait for the pause");
        var sentDuringThePause = _discord.Rest.Any(r => r.Path == "/channels/3/typing");
        time.Advance(TimeSpan.FromSeconds(0.6));
        await Task.WhenAll(first, typing);

        Assert.True(limiter.GlobalPausedUntil <= time.GetUtcNow());
        Assert.False(sentDuringThePause, "typing went out during the global pause");
        Assert.Single(_discord.Rest, r => r.Path == "/channels/3/typing");
    }

    [Fact]
    public async Task Messages_always_carry_empty_allowed_mentions()
    {
        await _rest.CreateMessageAsync("1", new MessagePayload { Content = "@everyone <@123> <@&456>" }, Ct);

        var body = Assert.Single(_discord.Messages).Body!;
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public void A_4500_character_answer_is_three_messages_cut_between_paragraphs_with_sources_on_the_last()
    {
        var paragraph = string.Concat(Enumerable.Repeat("Moscou et Téhéran renforcent leur coopération. ", 32)).Trim();
        var text = string.Join("\n\n", Enumerable.Repeat(paragraph, 3));
        var reply = new ChatReply(text, true, [new Citation(1, "a", "Titre", "AFP", new DateOnly(2024, 11, 24), null, "Une citation.")], Language.French, [], ReplyTimings.None);

        var messages = DiscordReplyRenderer.Render(reply);

        Assert.InRange(text.Length, 4400, 4600);
        Assert.Equal(3, messages.Count);
        Assert.All(messages, m => Assert.Equal(paragraph, m.Content));
        Assert.Null(messages[0].Embeds);
        Assert.Equal("[1] Titre", messages[2].Embeds![0].Title);
        Assert.Equal("AFP · 24 novembre 2024 · a", messages[2].Embeds![0].Footer!.Text);
    }

    [Fact]
    public void Embeds_stay_within_discord_limits()
    {
        var citations = Enumerable.Range(1, 15).Select(i => new Citation(i, $"a{i}", new string('T', 400), "AFP", null, null, new string('q', 2000))).ToList();
        var reply = new ChatReply("Réponse.", true, citations, Language.French, [], ReplyTimings.None);

        var embeds = DiscordReplyRenderer.Render(reply)[^1].Embeds!;

        Assert.True(embeds.Count <= 10);
        Assert.All(embeds, e => Assert.True(e.Title.Length <= 256));
        Assert.True(embeds.Sum(e => e.Title.Length + e.Description!.Length + e.Footer!.Text.Length) <= 6000);
    }
}
