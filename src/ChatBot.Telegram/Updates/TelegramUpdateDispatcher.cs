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
    /// Takes one update as Telegram delivered it. Returns once it is stored: the caller may then confirm it to
    /// Telegram (advance the offset, answer the webhook). A second delivery of a known update is ignored.
    /// </summary>
    public async Task ReceiveAsync(Update update, CancellationToken cancellationToken)
    {
        if (update.CallbackQuery is { } callback)
            _ = handler.AcknowledgeCallbackAsync(callback); // within Telegram's few seconds, ahead of any queue or database work
        if (update.Message is null && update.CallbackQuery is null)
            return; // nothing the bot handles
        var key = update.Id.ToString(CultureInfo.InvariantCulture);
        var payload = JsonSerializer.Serialize(update, JsonBotAPI.Options);
        if (await inbox.AcceptAsync(Platform, key, update.Type.ToString(), payload, cancellationToken))
            Enqueue(update);
    }

    /// <summary>Handles again the updates a previous run stored but did not finish (at start-up).</summary>
    public async Task ReplayAsync(CancellationToken cancellationToken)
    {
        foreach (var item in await inbox.ClaimPendingAsync(Platform, cancellationToken))
        {
            Update? update = null;
            try
            {
                update = JsonSerializer.Deserialize<Update>(item.Payload, JsonBotAPI.Options);
            }
            catch (JsonException)
            {
            }
            if (update is null)
            {
                await inbox.CompleteAsync(Platform, item.Key); // unreadable: nothing can be done with it
                continue;
            }
            Enqueue(update);
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
