using ChatBot.Core.Answering;
using ChatBot.Core.Concurrency;
using ChatBot.Core.Text;
using ChatBot.Telegram.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>
/// Runs updates off the receiving loop: at most <see cref="TelegramOptions.MaxConcurrentUpdates"/> at once, the
/// messages of one chat strictly in order. Each update gets its own log scope; a failure is logged and answered with
/// a short apology, and nothing else is affected.
/// </summary>
public sealed class TelegramUpdateDispatcher(
    TelegramMessageHandler handler,
    TelegramSender sender,
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdateDispatcher> logger) : IDisposable
{
    private readonly KeyedWorkQueue<long> _queue = new(options.Value.MaxConcurrentUpdates);

    public void Enqueue(Update update, CancellationToken stoppingToken)
    {
        if (update.CallbackQuery is { Message: { } pressed } callback)
        {
            _queue.Enqueue(pressed.Chat.Id, ct => handler.HandleCallbackAsync(callback, ct), ex =>
            {
                Log.UpdateFailed(logger, ex, update.Id);
                return Task.CompletedTask;
            }, stoppingToken);
            return;
        }
        if (update.Message is not { } message)
            return;
        _queue.Enqueue(
            message.Chat.Id,
            async ct =>
            {
                using var scope = logger.BeginScope(new Dictionary<string, object> { ["Platform"] = "telegram", ["ChatId"] = message.Chat.Id, ["MessageId"] = message.Id });
                await handler.HandleAsync(message, ct);
            },
            ex => ApologiseAsync(ex, update.Id, message, stoppingToken),
            stoppingToken);
    }

    /// <summary>Waits for the updates already handed over (used at shutdown and by tests).</summary>
    public Task DrainAsync() => _queue.DrainAsync();

    private async Task ApologiseAsync(Exception error, int updateId, Message message, CancellationToken stoppingToken)
    {
        Log.UpdateFailed(logger, error, updateId);
        try
        {
            await sender.SendAsync(message.Chat, [TelegramHtml.Escape(BotMessages.Get("error.apology", TelegramLanguage.Of(message.From)))], message.Id, message.MessageThreadId, stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.ApologyFailed(logger, ex, updateId);
        }
    }

    public void Dispose() => _queue.Dispose();
}
