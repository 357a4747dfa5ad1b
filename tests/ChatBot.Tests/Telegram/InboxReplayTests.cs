using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Indexing;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatBot.Tests.Telegram;

/// <summary>The start-up replay hands over what a previous run left, never what this run already took (a webhook can deliver before the replay runs).</summary>
public sealed class InboxReplayTests
{
    [Fact]
    public async Task The_replay_skips_updates_this_run_accepted_before_it_and_a_redelivery_stays_ignored()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var store = bot.Services.GetRequiredService<IInboxStore>();
        var inbox = bot.Services.GetRequiredService<DurableInbox>();
        var owner = bot.Services.GetRequiredService<IOptions<StoreOptions>>().Value.EffectiveReplicaName;
        // Left unfinished by the previous run of this replica.
        await store.AcceptAsync(new InboxItem("telegram", "1", "Message", "{}", DateTimeOffset.UtcNow.AddMinutes(-5)), owner, Ct);

        var fresh = await inbox.AcceptAsync("telegram", "2", "Message", "{}", Ct); // arrives by webhook before the replay
        var replayed = await inbox.ClaimPendingAsync("telegram", Ct);
        var again = await inbox.AcceptAsync("telegram", "2", "Message", "{}", Ct); // Telegram delivers it again
        var later = await inbox.AcceptAsync("telegram", "3", "Message", "{}", Ct);

        Assert.True(fresh);
        Assert.Equal(["1"], replayed.Select(i => i.Key));
        Assert.False(again);
        Assert.True(later);
    }
}
