using System.Globalization;
using System.Text.Json;
using ChatBot.Core.Answering;
using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Telegram.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>
/// Where every update arrives, from polling or the webhook. A button press is acknowledged at once; then the update
/// takes the core's <see cref="InboundPath{TChat}"/>: stored in the durable inbox (only after that may Telegram be told
/// it arrived), run off the receiving loop (at most <see cref="TelegramOptions.MaxConcurrentUpdates"/> at once, the
/// messages of one chat strictly in order), marked done once handled, replayed at the next start if cut off. What is
/// Telegram's own stays here: reading an update, what makes one unanswerable, admission, the apology.
/// </summary>
public sealed class TelegramUpdateDispatcher(
    TelegramMessageHandler handler,
    TelegramSender sender,
    DurableInbox inbox,
    CommandRouter router,
    IOptions<TelegramOptions> options,
    IOptions<AdapterOptions> adapterOptions,
    IOptions<ControlsOptions> controls,
    TimeProvider time,
    BotMetrics metrics,
    ILogger<TelegramUpdateDispatcher> logger) : IDisposable
{
    public const string Platform = TelegramMessageHandler.Platform;

    /// <summary>
    /// The bot's own id, from its token (<c>&lt;id&gt;:&lt;secret&gt;</c>): update ids are per bot, so a new bot
    /// token on the same database must not find its update 1 already "known". Keys are <c>&lt;bot&gt;:&lt;update&gt;</c>.
    /// </summary>
    private readonly string _bot = options.Value.Token?.Split(':')[0] ?? "";

    private string KeyOf(int? updateId) =>
        $"{_bot}:{(updateId is { } id ? id.ToString(CultureInfo.InvariantCulture) : "unknown")}";

    private readonly InboundPath<long> _inbound = new(TelegramMessageHandler.Platform, options.Value.MaxConcurrentUpdates, inbox, controls.Value, time, metrics, logger);

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
            await _inbound.ParkAsync(KeyOf(raw.Id), "Unreadable", raw.Json, raw.Error ?? "unreadable");
            return;
        }
        try
        {
            await ReceiveAsync(update, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever this one update does (text the serialiser refuses…), the next must still be heard.
            await _inbound.ParkAsync(KeyOf(raw.Id), update.Type.ToString(), raw.Json, $"{ex.GetType().Name} while receiving it");
        }
    }

    /// <inheritdoc cref="ReceiveAsync(RawUpdate, CancellationToken)"/>
    public async Task ReceiveAsync(Update update, CancellationToken cancellationToken)
    {
        var key = KeyOf(update.Id);
        if (Unhandleable(update) is { } reason)
        {
            await _inbound.ParkAsync(key, update.Type.ToString(), JsonSerializer.Serialize(update, JsonBotAPI.Options), reason);
            return;
        }
        if (update.CallbackQuery is { } callback)
            _ = handler.AcknowledgeCallbackAsync(callback); // within Telegram's few seconds, ahead of any queue or database work
        if (update.Message is null && update.CallbackQuery is null)
            return; // nothing the bot handles
        var payload = JsonSerializer.Serialize(update, JsonBotAPI.Options);
        if (await _inbound.AcceptAsync(key, update.Type.ToString(), payload, cancellationToken))
            await _inbound.QueueOrParkAsync(key, update.Type.ToString(), payload, () => EnqueueAsync(update, key, cancellationToken));
    }

    /// <summary>What makes an update impossible to answer, whatever is tried: Telegram always sends these fields.</summary>
    private static string? Unhandleable(Update update) => update switch
    {
        { Message: { Chat: null } } => "a message without a chat",
        { CallbackQuery: { Message: { Chat: null } } } => "a button press without a chat",
        _ => null,
    };

    /// <summary>
    /// Handles again the updates a previous run stored but did not finish (at start-up), each on its own: one that
    /// cannot be read or handled is parked, and the ones behind it are handled.
    /// </summary>
    public Task ReplayAsync(CancellationToken cancellationToken) => _inbound.ReplayAsync(async item =>
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
            await _inbound.ParkAsync(item.Key, item.Kind, item.Payload, raw.Error ?? "unreadable");
        else if (Unhandleable(update) is { } reason)
            await _inbound.ParkAsync(item.Key, item.Kind, item.Payload, reason);
        else
            await _inbound.QueueOrParkAsync(item.Key, item.Kind, item.Payload, () => EnqueueAsync(update, item.Key, cancellationToken));
        return true;
    }, cancellationToken);

    /// <summary>
    /// Queues an update in its chat's order. Once the bot knows who it is, a message is read and admitted as it
    /// arrives (<see cref="CommandRouter.Admit"/>): what is not for the bot, or over quota, never waits in the queue;
    /// the first refusal is queued as a short notice. A chat's queue keeps its newest questions: past
    /// <see cref="ControlsOptions.MaxQueuedPerChat"/> the oldest waiting one is dropped and marked done.
    /// </summary>
    private async Task EnqueueAsync(Update update, string key, CancellationToken cancellationToken)
    {
        Task Failed(Exception ex)
        {
            Log.UpdateFailed(logger, ex, update.Id);
            return Task.CompletedTask;
        }
        if (update.CallbackQuery is { Message: { } pressed } callback)
        {
            _inbound.EnqueueQuiet(pressed.Chat.Id, key, ct => handler.RecordVoteAsync(callback, ct), Failed);
            return;
        }
        if (update.Message is not { } message)
            return;
        var chat = message.Chat.Id;
        var messageId = message.Id.ToString(CultureInfo.InvariantCulture);
        if (!handler.Ready)
        {
            // Before start-up knows the bot's name (a webhook can deliver early): read and admitted when it runs.
            _inbound.Enqueue(chat, key, ct => handler.HandleAsync(message, ct), ex => ApologiseAsync(ex, update.Id, message), messageId);
            return;
        }
        if (await handler.ReadAsync(message, cancellationToken) is not { } request)
        {
            await _inbound.CompleteAsync(key); // not for the bot
            return;
        }
        var admission = router.Admit(request.Command.Name, request.Command.Argument, request.Context.Origin, request.Context.Language);
        if (!admission.Allowed)
        {
            if (admission.Refusal is { } refusal)
                _inbound.Enqueue(chat, key, ct => handler.SendAsync(request, refusal, ct), Failed, messageId);
            else
                await _inbound.CompleteAsync(key); // already told, or not allowed here: silence
            return;
        }
        var admitted = request with { Context = request.Context with { Admitted = true } };
        _inbound.Enqueue(chat, key, ct => handler.HandleAsync(admitted, ct), ex => ApologiseAsync(ex, update.Id, message), messageId);
    }

    /// <summary>The most questions that ever waited in one chat's queue (the backlog's high-water mark).</summary>
    public int PeakQueued => _inbound.PeakQueued;

    /// <summary>Waits for the updates already handed over (tests).</summary>
    public Task DrainAsync() => _inbound.DrainAsync();

    /// <summary>At shutdown: the answers in flight get the grace period; what is cut off stays in the inbox for the next start.</summary>
    public Task StopAsync() => _inbound.StopAsync(adapterOptions.Value.ShutdownGrace);

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

    public void Dispose() => _inbound.Dispose();
}
