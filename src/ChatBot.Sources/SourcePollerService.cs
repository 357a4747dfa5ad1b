using ChatBot.Core.Foundation.Concurrency;
using ChatBot.Core.Foundation.Replicas;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Sources;

/// <summary>
/// Polls each configured source on its own schedule while the host runs (beside the corpus folder's watcher): every
/// <see cref="SourcesOptions.PollMinutes"/>, spread by ±10 % so that sources and replicas do not fire together; a
/// failing source waits longer each time (2, 4, 8, then 16 polls' time) and never stops the others. With several replicas only
/// the leader polls.
/// </summary>
public sealed partial class SourcePollerService(
    SourceSync sync,
    ILeadership leadership,
    IOptions<SourcesOptions> options,
    TimeProvider time,
    ILogger<SourcePollerService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => LeaderLoop.RunAsync(leadership, PollAsync, stoppingToken);

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromMinutes(options.Value.PollMinutes);
        var backoff = new Backoff(interval * 2, interval * 16, Jitter: 0.1); // a failing source: 2, 4, 8, 16 polls' time
        var due = sync.Configured.ToDictionary(s => s, _ => time.GetUtcNow(), StringComparer.Ordinal);
        while (!cancellationToken.IsCancellationRequested)
        {
            var (source, at) = due.MinBy(d => d.Value);
            var wait = at - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, time, cancellationToken);
            SourcePoll poll;
            try
            {
                poll = await sync.PollAsync(source, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
#pragma warning disable CA1031 // one source's failure is its state; the loop goes on
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogPollCrashed(logger, ex, source);
                poll = new SourcePoll(source, 0, 0, 0, 0, 0, ex.GetType().Name);
            }
            var failures = sync.Sources.FirstOrDefault(s => s.Url == source)?.ConsecutiveFailures ?? 0;
            var next = time.GetUtcNow() + (poll.Succeeded ? Spread(interval) : backoff.Delay(failures));
            due[source] = next;
            sync.Schedule(poll, next);
        }
    }

    private static TimeSpan Spread(TimeSpan interval) => interval * (0.9 + 0.2 * Random.Shared.NextDouble());

    [LoggerMessage(Level = LogLevel.Error, Message = "Polling source {Source} failed unexpectedly; it is tried again later")]
    private static partial void LogPollCrashed(ILogger logger, Exception exception, string source);
}
