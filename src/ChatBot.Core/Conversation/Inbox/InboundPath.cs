using System.Text.Json;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Foundation.Logging;
using Microsoft.Extensions.Logging;

namespace ChatBot.Core.Conversation.Inbox;

/// <summary>
/// The one path every platform's inbound events take: stored in the <see cref="DurableInbox"/> before anything else
/// (a second delivery is known and ignored), queued in the order of their chat (bounded: past
/// <see cref="ControlsOptions.MaxQueuedPerChat"/> the oldest waiting question is dropped, and that is logged at most
/// once a minute per chat), run under a log scope naming the platform, chat and message, marked done once handled,
/// apologised for by the adapter when they fail, and replayed at the next start when they were cut off. An event that
/// cannot even be read, queued or replayed is parked with its reason and never holds up the next. The adapters keep
/// only what is platform-specific: reading their events, acknowledging them, answering.
/// </summary>
public sealed partial class InboundPath<TChat> : IDisposable where TChat : notnull
{
    private readonly DurableInbox _inbox;
    private readonly KeyedWorkQueue<TChat> _queue;
    private readonly OncePerMinute<TChat> _dropped;
    private readonly int _maxQueued;
    private readonly ILogger _logger;

    /// <param name="platform">The platform's key in the inbox (as in the conversation and feedback tables).</param>
    /// <param name="maxConcurrent">Events handled at once, across chats.</param>
    public InboundPath(string platform, int maxConcurrent, DurableInbox inbox, ControlsOptions controls, TimeProvider time, BotMetrics metrics, ILogger logger)
    {
        Platform = platform;
        _inbox = inbox;
        _maxQueued = controls.MaxQueuedPerChat;
        _queue = metrics.Observed(platform, new KeyedWorkQueue<TChat>(maxConcurrent, _maxQueued));
        _dropped = new OncePerMinute<TChat>(time);
        _logger = logger;
    }

    public string Platform { get; }

    /// <summary>Stores an event; false when it is already known (a second delivery), which is then not handled again.</summary>
    public Task<bool> AcceptAsync(string key, string kind, string payload, CancellationToken cancellationToken) =>
        _inbox.AcceptAsync(Platform, key, kind, payload, cancellationToken);

    /// <summary>Sets an event aside with its reason, never to be retried (and logged once by the inbox).</summary>
    public Task ParkAsync(string key, string kind, string payload, string reason) => _inbox.ParkAsync(Platform, key, kind, payload, reason);

    /// <summary>Marks an event handled: it is not replayed.</summary>
    public Task CompleteAsync(string key) => _inbox.CompleteAsync(Platform, key);

    /// <summary>Queues a stored event with <paramref name="enqueue"/>; one that cannot even be queued is parked, and nothing behind it waits.</summary>
    public async Task QueueOrParkAsync(string key, string kind, string payload, Func<Task> enqueue)
    {
        try
        {
            await enqueue();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await ParkAsync(key, kind, payload, $"{ex.GetType().Name} while queueing it");
        }
    }

    /// <summary>
    /// Queues a question of <paramref name="chat"/> behind the ones before it: done once handled (or failed, after
    /// <paramref name="onError"/>); dropped (done, never answered) when the chat's queue is full.
    /// </summary>
    /// <param name="scope">What the log lines of its handling carry: the chat and message ids.</param>
    public void Enqueue(TChat chat, string key, Func<CancellationToken, Task> work, Func<Exception, Task> onError, string? messageId = null) =>
        _queue.Enqueue(chat, ct => Scoped(chat, messageId, work, ct), onError, () => CompleteAsync(key), () => DroppedAsync(chat, key));

    /// <summary>Queues what is no question (a vote): done whether it runs or is dropped, and a drop is not logged.</summary>
    public void EnqueueQuiet(TChat chat, string key, Func<CancellationToken, Task> work, Func<Exception, Task> onError) =>
        _queue.Enqueue(chat, work, onError, () => CompleteAsync(key), () => CompleteAsync(key));

    /// <summary>Queues work that has no inbox entry (registering commands).</summary>
    public void EnqueueUntracked(TChat lane, Func<CancellationToken, Task> work, Func<Exception, Task> onError) => _queue.Enqueue(lane, work, onError);

    /// <summary>
    /// Hands over again what a previous run stored and did not finish, each on its own. <paramref name="replay"/>
    /// queues (or parks) the item and returns true, or returns false when it can no longer be answered (it is marked
    /// done). A stored event that cannot be read is parked ("the stored event cannot be read"), as is one that throws
    /// anything else: the ones behind it are replayed.
    /// </summary>
    public async Task ReplayAsync(Func<InboxItem, Task<bool>> replay, CancellationToken cancellationToken)
    {
        foreach (var item in await _inbox.ClaimPendingAsync(Platform, cancellationToken))
        {
            bool handled;
            try
            {
                handled = await replay(item);
            }
            catch (JsonException ex)
            {
                await ParkAsync(item.Key, item.Kind, item.Payload, "the stored event cannot be read: " + ex.Message.Split('\n')[0]);
                continue;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                await ParkAsync(item.Key, item.Kind, item.Payload, $"{ex.GetType().Name} while replaying it");
                continue;
            }
            if (!handled)
                await CompleteAsync(item.Key);
        }
    }

    /// <summary>The most questions that ever waited in one chat's queue (the backlog's high-water mark).</summary>
    public int PeakQueued => _queue.PeakWaiting;

    /// <summary>Waits for the events already handed over (tests).</summary>
    public Task DrainAsync() => _queue.DrainAsync();

    /// <summary>
    /// At shutdown: the answers in flight get the grace period; what is cut off stays in the inbox for the next start.
    /// The grace is wall-clock time (a process manager's kill deadline is), never the bot's clock, which may stand
    /// still (a fake one in tests) and would make the shutdown wait forever.
    /// </summary>
    public Task StopAsync(TimeSpan grace) => _queue.StopAsync(grace, TimeProvider.System);

    private async Task Scoped(TChat chat, string? messageId, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        using var scope = _logger.BeginScope(new LogScope(("Platform", Platform), ("ChatId", chat), ("MessageId", messageId)));
        await work(cancellationToken);
    }

    /// <summary>A question dropped from a full chat queue: done (it is never answered), and logged at most once a minute per chat.</summary>
    private async Task DroppedAsync(TChat chat, string key)
    {
        await CompleteAsync(key);
        if (_dropped.Count(chat, out var since))
            LogQueueFull(_logger, Platform, chat.ToString() ?? "", _maxQueued, since);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform}: chat {ChatId} has more than {Max} questions waiting; dropped the oldest ({Count} since the last such line)")]
    private static partial void LogQueueFull(ILogger logger, string platform, string chatId, int max, int count);

    public void Dispose() => _queue.Dispose();
}
