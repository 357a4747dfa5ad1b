using System.Collections.Concurrent;
using System.Text.Json;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Indexing;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Tests.Conversation;

/// <summary>
/// The inbound path both adapters share, on its own (a made-up platform, a real SQLite inbox): stored first, a second
/// delivery ignored, a full chat queue drops its oldest question once logged, a replay parks what it cannot read or
/// handle and goes on with the rest.
/// </summary>
public sealed class InboundPathTests
{
    private const string Platform = "test";

    private static InboundPath<string> Path(TestBot bot, CapturedLogs logs, int maxQueued = 20) => new(
        Platform, 4, bot.Services.GetRequiredService<DurableInbox>(), new ControlsOptions { MaxQueuedPerChat = maxQueued },
        TimeProvider.System, bot.Services.GetRequiredService<BotMetrics>(), new LoggerFactory([logs]).CreateLogger("inbound"));

    [Fact]
    public async Task An_event_is_stored_once_and_a_second_delivery_is_not_handled_again()
    {
        await using var bot = new TestBot(seedCorpus: false);
        using var logs = new CapturedLogs();
        using var path = Path(bot, logs);

        var first = await path.AcceptAsync("1", "Message", "{}", Ct);
        var again = await path.AcceptAsync("1", "Message", "{}", Ct);

        Assert.True(first);
        Assert.False(again);
    }

    [Fact]
    public async Task A_full_chat_queue_drops_its_oldest_waiting_question_and_says_so_once()
    {
        await using var bot = new TestBot(seedCorpus: false);
        using var logs = new CapturedLogs();
        using var path = Path(bot, logs, maxQueued: 1);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var ran = new ConcurrentQueue<string>();
        foreach (var key in new[] { "k1", "k2", "k3", "k4" })
            await path.AcceptAsync(key, "Message", "{}", Ct);

        path.Enqueue("chat", "k1", async ct => { await gate.Task; ran.Enqueue("k1"); }, _ => Task.CompletedTask);
        foreach (var key in new[] { "k2", "k3", "k4" })
            path.Enqueue("chat", key, _ => { ran.Enqueue(key); return Task.CompletedTask; }, _ => Task.CompletedTask);
        gate.SetResult();
        await path.DrainAsync();

        Assert.Equal(["k1", "k4"], ran);
        Assert.Single(logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("chat chat has more than 1 questions waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failure_goes_to_the_adapter_s_apology_and_the_next_question_of_the_chat_still_runs()
    {
        await using var bot = new TestBot(seedCorpus: false);
        using var logs = new CapturedLogs();
        using var path = Path(bot, logs);
        var apologised = new ConcurrentQueue<string>();
        var ran = new ConcurrentQueue<string>();

        path.Enqueue("chat", "a", _ => throw new InvalidOperationException("boom"), ex => { apologised.Enqueue(ex.Message); return Task.CompletedTask; });
        path.Enqueue("chat", "b", _ => { ran.Enqueue("b"); return Task.CompletedTask; }, _ => Task.CompletedTask);
        await path.DrainAsync();

        Assert.Equal(["boom"], apologised);
        Assert.Equal(["b"], ran);
    }

    [Fact]
    public async Task The_replay_parks_what_it_cannot_read_or_handle_completes_what_is_dead_and_queues_the_rest()
    {
        await using var bot = new TestBot(seedCorpus: false);
        await bot.SyncAsync();
        using var logs = new CapturedLogs();
        using var path = Path(bot, logs);
        var store = bot.Services.GetRequiredService<IInboxStore>();
        var owner = bot.Services.GetRequiredService<IOptions<StoreOptions>>().Value.EffectiveReplicaName;
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        foreach (var key in new[] { "ok1", "unreadable", "throws", "dead", "ok2" })
            await store.AcceptAsync(new InboxItem(Platform, key, "Message", key, at), owner, Ct); // left by the previous run
        var ran = new ConcurrentQueue<string>();

        await path.ReplayAsync(item => item.Payload switch
        {
            "unreadable" => throw new JsonException("'u' is an invalid start of a value."),
            "throws" => throw new InvalidOperationException("no"),
            "dead" => Task.FromResult(false),
            _ => Task.FromResult(Enqueued(path, item.Key, ran)),
        }, Ct);
        await path.DrainAsync();
        var parked = await bot.Services.GetRequiredService<DurableInbox>().ParkedAsync(Ct);

        Assert.Equal(["ok1", "ok2"], ran.Order(StringComparer.Ordinal));
        Assert.Equal(2, parked.Count);
        Assert.Contains(parked.LastReason, new[] { "InvalidOperationException while replaying it", "the stored event cannot be read: 'u' is an invalid start of a value." });
    }

    private static bool Enqueued(InboundPath<string> path, string key, ConcurrentQueue<string> ran)
    {
        path.Enqueue("chat", key, _ => { ran.Enqueue(key); return Task.CompletedTask; }, _ => Task.CompletedTask);
        return true;
    }
}
