using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Adapters;
using ChatBot.Core.Answering;
using ChatBot.Core.Concurrency;
using ChatBot.Core.Inbox;
using ChatBot.Core.Text;
using ChatBot.Telegram.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>
/// Where every update arrives, from polling or the webhook. A button press is acknowledged at once; then the update
/// is stored in the durable inbox (only after that may Telegram be told it arrived) and runs off the receiving loop:
/// at most <see cref="TelegramOptions.MaxConcurrentUpdates"/> at once, the messages of one chat strictly in order,
/// each marked done once handled. Each update gets its own log scope; a failure is logged and answered with a short
/// apology, and nothing else is affected.
/// </summary>
public sealed class TelegramUpdateDispatcher(
    TelegramMessageHandler handler,
    TelegramSender sender,
    DurableInbox inbox,
    IOptions<TelegramOptions> options,
    IOptions<AdapterOptions> adapterOptions,
    ILogger<TelegramUpdateDispatcher> logger) : IDisposable
{
    public const string Platform = TelegramMessageHandler.Platform;

    private readonly KeyedWorkQueue<long> _queue = new(options.Value.MaxConcurrentUpdates);

    /// <summary>
    /// Takes one update as Telegram delivered it. Returns once it is stored (or set aside): the caller may then confirm
    /// it to Telegram (advance the offset, answer the webhook). A second delivery of a known update is ignored. An
    /// update that cannot be read, or that cannot be handled (a message without a chat), is parked in the inbox with
    /// its reason, logged once, and confirmed like any other: it never comes back and never holds up the next.
    /// </summary>
    public async Task ReceiveAsync(RawUpdate raw, CancellationToken cancellationToken)
    {
        if (raw.Update is not { } update)
        {
            await inbox.ParkAsync(Platform, raw.Key, "Unreadable", raw.Json, raw.Error ?? "unreadable");
            return;
        }
        try
        {
            await ReceiveAsync(update, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever this one update does (text the serialiser refuses…), the next must still be heard.
            await inbox.ParkAsync(Platform, raw.Key, update.Type.ToString(), raw.Json, $"{ex.GetType().Name} while receiving it");
        }
    }

    /// <inheritdoc cref="ReceiveAsync(RawUpdate, CancellationToken)"/>
    public async Task ReceiveAsync(Update update, CancellationToken cancellationToken)
    {
        var key = update.Id.ToString(CultureInfo.InvariantCulture);
        if (Unhandleable(update) is { } reason)
        {
            await inbox.ParkAsync(Platform, key, update.Type.ToString(), JsonSerializer.Serialize(update, JsonBotAPI.Options), reason);
            return;
        }
        if (update.CallbackQuery is { } callback)
            _ = handler.AcknowledgeCallbackAsync(callback); // within Telegram's few seconds, ahead of any queue or database work
        if (update.Message is null && update.CallbackQuery is null)
            return; // nothing the bot handles
        var payload = JsonSerializer.Serialize(update, JsonBotAPI.Options);
        if (await inbox.AcceptAsync(Platform, key, update.Type.ToString(), payload, cancellationToken))
            Handle(update, key, payload);
    }

    /// <summary>What makes an update impossible to answer, whatever is tried: Telegram always sends these fields.</summary>
    private static string? Unhandleable(Update update) => update switch
    {
        { Message: { Chat: null } } => "a message without a chat",
        { CallbackQuery: { Message: { Chat: null } } } => "a button press without a chat",
        _ => null,
    };

    /// <summary>Queues a stored update; one that cannot even be queued is parked, never retried.</summary>
    private void Handle(Update update, string key, string payload)
    {
        try
        {
            Enqueue(update);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _ = inbox.ParkAsync(Platform, key, update.Type.ToString(), payload, $"{ex.GetType().Name} while queueing it");
        }
    }

    /// <summary>
    /// Handles again the updates a previous run stored but did not finish (at start-up), each on its own: one that
    /// cannot be read or handled is parked, and the ones behind it are handled.
    /// </summary>
    public async Task ReplayAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await inbox.ClaimPendingAsync(Platform, cancellationToken))
        {
            RawUpdate raw;
            try
            {
                using var document = JsonDocument.Parse(item.Payload);
                raw = RawUpdate.Read(document.RootElement);
            }
            catch (JsonException ex)
            {
                raw = new RawUpdate(null, null, item.Payload, "the stored update is not JSON: " + ex.Message.Split('\n')[0]);
            }
            if (raw.Update is not { } update)
            {
                await inbox.ParkAsync(Platform, item.Key, item.Kind, item.Payload, raw.Error ?? "unreadable");
                continue;
            }
            if (Unhandleable(update) is { } reason)
            {
                await inbox.ParkAsync(Platform, item.Key, item.Kind, item.Payload, reason);
                continue;
            }
            Handle(update, item.Key, item.Payload);
        }
    }

    private void Enqueue(Update update)
    {
        var key = update.Id.ToString(CultureInfo.InvariantCulture);
        Task Done() => inbox.CompleteAsync(Platform, key);
        if (update.CallbackQuery is { Message: { } pressed } callback)
        {
            _queue.Enqueue(pressed.Chat.Id, ct => handler.RecordVoteAsync(callback, ct), ex =>
            {
                Log.UpdateFailed(logger, ex, update.Id);
                return Task.CompletedTask;
            }, Done);
            return;
        }
        if (update.Message is not { } message)
            return;
        _queue.Enqueue(
            message.Chat.Id,
            async ct =>
            {
                using var scope = logger.BeginScope(new Dictionary<string, object> { ["Platform"] = Platform, ["ChatId"] = message.Chat.Id, ["MessageId"] = message.Id });
                await handler.HandleAsync(message, ct);
            },
            ex => ApologiseAsync(ex, update.Id, message),
            Done);
    }

    /// <summary>Waits for the updates already handed over (tests).</summary>
    public Task DrainAsync() => _queue.DrainAsync();

    /// <summary>
    /// At shutdown: the answers in flight get the grace period; what is cut off stays in the inbox for the next start.
    /// The grace is wall-clock time (a process manager's kill deadline is), never the bot's clock, which may stand
    /// still (a fake one in tests) and would make the shutdown wait forever.
    /// </summary>
    public Task StopAsync() => _queue.StopAsync(adapterOptions.Value.ShutdownGrace, TimeProvider.System);

    private async Task ApologiseAsync(Exception error, int updateId, Message message)
    {
        Log.UpdateFailed(logger, error, updateId);
        try
        {
            await sender.SendAsync(message.Chat, [TelegramHtml.Escape(BotMessages.Get("error.apology", TelegramLanguage.Of(message.From)))], message.Id, TelegramMessageHandler.ThreadOf(message), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ApologyFailed(logger, ex, updateId);
        }
    }

    public void Dispose() => _queue.Dispose();
}
