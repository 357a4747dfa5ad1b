using Polly;
using Polly.Retry;

namespace ChatBot.Core.Foundation.Concurrency;

/// <summary>What to do after a failed call: retry after <see cref="Delay"/>, with the reason to log (and whether the service asked for the wait).</summary>
public readonly record struct RetryDecision(TimeSpan Delay, string Reason, bool RateLimited = false);

/// <summary>
/// The bot's one way to retry a call: a Polly retry pipeline on the bot's <see cref="TimeProvider"/> (so a fake clock
/// drives it in tests), for at most <c>maxAttempts</c> tries. What is retried and after how long is the caller's
/// (<c>decide</c>: a 429's retry-after, a <see cref="Backoff"/> with its jitter for transient failures, null for the
/// rest); a retry is announced to <c>onRetry</c> before its wait. A cancelled call is never retried.
/// </summary>
public static class RetryPipeline
{
    public static ResiliencePipeline Create(TimeProvider time, int maxAttempts, Func<Exception, int, RetryDecision?> decide, Action<RetryDecision>? onRetry = null)
    {
        if (maxAttempts <= 1)
            return ResiliencePipeline.Empty;
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = maxAttempts - 1,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex && !args.Context.CancellationToken.IsCancellationRequested && ex is not OperationCanceledException { CancellationToken.IsCancellationRequested: true }
                    && decide(ex, args.AttemptNumber + 1) is not null),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(decide(args.Outcome.Exception!, args.AttemptNumber + 1)?.Delay),
                OnRetry = args =>
                {
                    if (decide(args.Outcome.Exception!, args.AttemptNumber + 1) is { } decision)
                        onRetry?.Invoke(decision with { Delay = args.RetryDelay });
                    return default;
                },
            })
            .Build();
    }
}
