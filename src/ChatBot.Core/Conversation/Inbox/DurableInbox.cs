using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Conversation.Inbox;

/// <summary>
/// The adapters' durable inbox: an update is stored before the platform is told it arrived (Telegram's offset moves
/// past it, a webhook gets its 200, a Discord interaction its first callback), and marked done once its reply is
/// sent. At start-up the unfinished ones are handled again; an update delivered twice is handled once. When the
/// database cannot be written, the update is still handled (from memory) and the failure logged: the database being
/// down must not make the bot deaf.
/// </summary>
public sealed partial class DurableInbox
{
    private readonly IInboxStore store;
    private readonly IOptions<StoreOptions> storeOptions;
    private readonly TimeProvider time;
    private readonly BotMetrics metrics;
    private readonly ILogger<DurableInbox> logger;

    /// <summary>What this process accepted or claimed and has not finished: the inbox backlog metric.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Platform, string Key), byte> _pending = new();

    public DurableInbox(IInboxStore store, IOptions<StoreOptions> storeOptions, TimeProvider time, BotMetrics metrics, ILogger<DurableInbox> logger)
    {
        this.store = store;
        this.storeOptions = storeOptions;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
        metrics.ObserveInbox(() => _pending.Keys.GroupBy(k => k.Platform).Select(g => (g.Key, g.Count())).ToList());
    }

    /// <summary>How long handled items are remembered, to recognise a second delivery.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromDays(2);

    /// <summary>Another replica's unfinished item older than this is taken over (that replica is gone).</summary>
    public static readonly TimeSpan TakeOverAfter = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Start-ups that may hand an unfinished item over: one still unfinished after that many is taken to be what
    /// stops the process (or its adapter) each time, and is parked, so the items behind it are answered.
    /// </summary>
    public const int MaxAttempts = 3;

    /// <summary>How much of an unusable update's raw text is kept for the operator.</summary>
    private const int ParkedPayloadChars = 16_384;

    private string Owner => storeOptions.Value.EffectiveReplicaName;

    /// <summary>
    /// Items this process accepted (and is handling) before its start-up replay ran, by platform: the replay must not
    /// hand them over a second time. A webhook can deliver before the adapter's start-up reaches its replay.
    /// </summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Platform, string Key), byte> _acceptedBeforeReplay = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _replayed = new(StringComparer.Ordinal);

    /// <summary>True when the item is new and must be handled; false for a second delivery of a known one.</summary>
    public async Task<bool> AcceptAsync(string platform, string key, string kind, string payload, CancellationToken cancellationToken)
    {
        // Noted before it is stored, so that a replay reading the table can never see it without this note.
        var noted = !_replayed.ContainsKey(platform) && _acceptedBeforeReplay.TryAdd((platform, key), 0);
        try
        {
            var accepted = await store.AcceptAsync(new InboxItem(platform, key, kind, payload, time.GetUtcNow()), Owner, cancellationToken);
            if (!accepted && noted)
                _acceptedBeforeReplay.TryRemove((platform, key), out _);
            if (accepted)
                _pending.TryAdd((platform, key), 0);
            return accepted;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotStored(logger, platform, key, ex.Message);
            _pending.TryAdd((platform, key), 0);
            return true;
        }
    }

    public async Task CompleteAsync(string platform, string key)
    {
        _pending.TryRemove((platform, key), out _);
        try
        {
            // Not cancellable: a reply that went out must be recorded even while the host stops.
            await store.CompleteAsync(platform, key, time.GetUtcNow(), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotCompleted(logger, platform, key, ex.Message);
        }
    }

    /// <summary>
    /// Sets an item aside for good: it cannot be read, or handling it fails. Logged once (platform, key and reason,
    /// never the user's text), kept with its raw text for the operator, counted on the console's health page, and
    /// done: a second delivery is ignored and nothing behind it waits.
    /// </summary>
    public async Task ParkAsync(string platform, string key, string kind, string payload, string reason)
    {
        LogParked(logger, platform, key, reason);
        _pending.TryRemove((platform, key), out _);
        metrics.Parked(platform);
        try
        {
            var kept = payload.Length > ParkedPayloadChars ? payload[..ParkedPayloadChars] : payload;
            var now = time.GetUtcNow();
            // Not cancellable: at shutdown, the decision must still be written, or the item comes back at the next start.
            await store.ParkAsync(new InboxItem(platform, key, kind, kept, now), Owner, reason, now, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotParked(logger, platform, key, ex.Message);
        }
    }

    /// <summary>The items parked in the inbox's memory (two days), for the health page.</summary>
    public async Task<ParkedItems> ParkedAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.ParkedAsync(time.GetUtcNow() - Memory, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotReplayed(logger, "any", ex.Message);
            return ParkedItems.None;
        }
    }

    /// <summary>The items left unfinished by a previous run (or a replica that is gone), to handle now.</summary>
    public async Task<IReadOnlyList<InboxItem>> ClaimPendingAsync(string platform, CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            await store.PruneAsync(now - Memory, cancellationToken);
            var claimed = await store.ClaimPendingAsync(platform, Owner, now, TakeOverAfter, cancellationToken);
            _replayed.TryAdd(platform, 0);
            // What this run already accepted is being handled: only what a previous run (or a gone replica) left.
            var pending = claimed.Where(item => !_acceptedBeforeReplay.TryRemove((platform, item.Key), out _)).ToList();
            foreach (var poison in pending.Where(item => item.Attempts > MaxAttempts).ToList())
            {
                await ParkAsync(platform, poison.Key, poison.Kind, poison.Payload, $"still unanswered after {MaxAttempts} start-ups");
                pending.Remove(poison);
            }
            foreach (var stale in _acceptedBeforeReplay.Keys.Where(k => k.Platform == platform).ToList())
                _acceptedBeforeReplay.TryRemove(stale, out _);
            foreach (var item in pending)
                _pending.TryAdd((platform, item.Key), 0);
            if (pending.Count > 0)
                LogReplaying(logger, pending.Count, platform);
            return pending;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotReplayed(logger, platform, ex.Message);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} update {Key} set aside and not answered: {Reason}")]
    private static partial void LogParked(ILogger logger, string platform, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} update {Key} could not be marked as set aside ({Reason}); it may come back at the next start")]
    private static partial void LogNotParked(ILogger logger, string platform, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} update {Key} could not be stored in the inbox ({Reason}); it is handled anyway, but would be lost by a restart")]
    private static partial void LogNotStored(ILogger logger, string platform, string key, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Platform} update {Key} was answered but could not be marked done ({Reason}); a restart may answer it again")]
    private static partial void LogNotCompleted(ILogger logger, string platform, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Handling {Count} {Platform} update(s) left unanswered by the previous run")]
    private static partial void LogReplaying(ILogger logger, int count, string platform);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The unanswered {Platform} updates of the previous run could not be read ({Reason})")]
    private static partial void LogNotReplayed(ILogger logger, string platform, string reason);
}
