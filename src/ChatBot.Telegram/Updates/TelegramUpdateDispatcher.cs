using ChatBot.Core.Answering;
using ChatBot.Core.Text;
using ChatBot.Telegram.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>
/// Runs updates off the receiving loop: at most <see cref="TelegramOptions.MaxConcurrentUpdates"/> at once, the
/// messages of one chat strictly in order. Each update gets its own log scope and try/catch: a failure is logged
/// and answered with a short apology, and nothing else is affected.
/// </summary>
public sealed class TelegramUpdateDispatcher(
    TelegramMessageHandler handler,
    TelegramSender sender,
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdateDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentUpdates, options.Value.MaxConcurrentUpdates);
    private readonly Lock _lock = new();
    private readonly Dictionary<long, Task> _tails = [];

    public void Enqueue(Update update, CancellationToken stoppingToken)
    {
        if (update.Message is not { } message)
            return;
        lock (_lock)
        {
            var previous = _tails.GetValueOrDefault(message.Chat.Id, Task.CompletedTask);
            var next = RunAfterAsync(previous, update.Id, message, stoppingToken);
            _tails[message.Chat.Id] = next;
            _ = next.ContinueWith(t => Forget(message.Chat.Id, t), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for the updates already handed over (used at shutdown and by tests).</summary>
    public Task DrainAsync()
    {
        lock (_lock)
            return Task.WhenAll(_tails.Values.ToList());
    }

    private async Task RunAfterAsync(Task previous, int updateId, Message message, CancellationToken stoppingToken)
    {
        await previous; // never faults: failures are handled below
        try
        {
            await _slots.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["Platform"] = "telegram", ["ChatId"] = message.Chat.Id, ["MessageId"] = message.Id });
            await handler.HandleAsync(message, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // one bad update must never stop the others: it is logged and apologised for
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.UpdateFailed(logger, ex, updateId);
            await ApologiseAsync(updateId, message, stoppingToken);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async Task ApologiseAsync(int updateId, Message message, CancellationToken stoppingToken)
    {
        try
        {
            var language = message.From?.LanguageCode?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true ? Language.English : Language.French;
            var apology = TelegramHtml.Escape(BotMessages.Get("error.apology", language));
            await sender.SendAsync(message.Chat, [apology], message.Id, message.MessageThreadId, stoppingToken);
        }
#pragma warning disable CA1031 // the apology is best effort
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ApologyFailed(logger, ex, updateId);
        }
    }

    private void Forget(long chatId, Task finished)
    {
        lock (_lock)
        {
            if (_tails.TryGetValue(chatId, out var tail) && ReferenceEquals(tail, finished))
                _tails.Remove(chatId);
        }
    }

    public void Dispose() => _slots.Dispose();
}
