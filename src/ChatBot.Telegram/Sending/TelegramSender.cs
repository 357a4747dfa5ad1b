using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Core.Foundation.Logging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace ChatBot.Telegram.Sending;

/// <summary>
/// Sends through the Bot API within the flood limits: waits its turn (<see cref="SendThrottle"/>), honours a 429's
/// <c>retry_after</c>, retries 5xx and network failures with backoff, and gives up on other errors (400, 401, 403).
/// </summary>
public sealed class TelegramSender(ITelegramBotClient bot, SendThrottle throttle, TimeProvider time, IOptions<TelegramOptions> options, ILogger<TelegramSender> logger)
{
    private const int MaxAttempts = 6;
    private readonly Polly.ResiliencePipeline _retry = RetryPipeline.Create(time, MaxAttempts, (ex, attempt) => Decide(ex, attempt, options.Value.Token), d => Retrying(logger, d));

    /// <summary>Sends the parts in order; the first replies to <paramref name="replyTo"/>. Returns the messages Telegram created.</summary>
    public async Task<List<Message>> SendAsync(Chat chat, IReadOnlyList<string> htmlParts, int? replyTo, int? threadId, CancellationToken cancellationToken, InlineKeyboardMarkup? lastPartMarkup = null)
    {
        var sent = new List<Message>(htmlParts.Count);
        var isGroup = chat.Type is ChatType.Group or ChatType.Supergroup;
        foreach (var part in htmlParts)
        {
            await throttle.WaitTurnAsync(chat.Id, isGroup, cancellationToken);
            var reply = sent.Count == 0 && replyTo is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null;
            sent.Add(await WithRetriesAsync(ct => bot.SendMessage(
                chatId: chat.Id,
                text: part,
                parseMode: ParseMode.Html,
                replyParameters: reply,
                replyMarkup: sent.Count == htmlParts.Count - 1 ? lastPartMarkup : null,
                linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true },
                messageThreadId: threadId,
                cancellationToken: ct), cancellationToken));
        }
        return sent;
    }

    /// <summary>Shows "typing…" until disposed, sent again every few seconds for long work. Failures here are ignored.</summary>
    public IAsyncDisposable Typing(Chat chat, int? threadId)
    {
        var stop = new CancellationTokenSource();
        var loop = Task.Run(async () =>
        {
            var first = true;
            while (first || !stop.IsCancellationRequested)
            {
                try
                {
                    // The first indicator always goes out, however quick the answer; renewals stop with the work.
                    await bot.SendChatAction(chat.Id, ChatAction.Typing, messageThreadId: threadId, cancellationToken: first ? CancellationToken.None : stop.Token);
                    first = false;
                }
                catch (Exception ex) when (ex is RequestException or HttpRequestException)
                {
                    // The indicator is a courtesy; the answer matters.
                    first = false;
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(options.Value.TypingIntervalSeconds), time, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });
        return new TypingScope(stop, loop);
    }

    public async Task<T> WithRetriesAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        await _retry.ExecuteAsync(static async (call, ct) => await call(ct), call, cancellationToken);

    /// <summary>A 429 waits what Telegram asks (<c>retry_after</c>, at least 1 s); 5xx and network failures back off; the rest is final.</summary>
    private static RetryDecision? Decide(Exception ex, int attempt, string? token) => ex switch
    {
        ApiRequestException { ErrorCode: 429 } limited => new RetryDecision(TimeSpan.FromSeconds(Math.Max(1, limited.Parameters?.RetryAfter ?? 1)), "429", RateLimited: true),
        _ when IsTransient(ex) => new RetryDecision(Backoff(attempt), UpstreamText.Scrub(ex.Message, token)),
        _ => null,
    };

    private static void Retrying(ILogger logger, RetryDecision decision)
    {
        if (decision.RateLimited)
            Log.RateLimited(logger, (int)decision.Delay.TotalSeconds);
        else
            Log.Retrying(logger, decision.Reason, decision.Delay.TotalSeconds);
    }

    internal static bool IsTransient(Exception ex) => ex switch
    {
        ApiRequestException api => api.ErrorCode >= 500,
        RequestException or HttpRequestException or IOException => true,
        TaskCanceledException { InnerException: TimeoutException } => true,
        _ => false,
    };

    private static readonly Backoff Retry = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30), Jitter: 0.2);

    internal static TimeSpan Backoff(int attempt) => Retry.Delay(attempt);

    private sealed class TypingScope(CancellationTokenSource stop, Task loop) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await loop;
            stop.Dispose();
        }
    }
}
