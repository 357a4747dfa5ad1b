using ChatBot.Core.Foundation.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Digest;

/// <summary>
/// Posts the digest to every configured target when the schedule comes round. Each (target, period) goes through
/// the ledger: claimed atomically before posting, marked after, so restarts and replicas never post it twice; after
/// downtime only the latest period is due, so a catch-up posts once. A target that fails is retried with backoff,
/// the others go on. A new target starts at the current period without posting the whole corpus.
/// </summary>
public sealed partial class DigestService(
    IOptions<DigestOptions> options,
    IDigestLedger ledger,
    DigestBuilder builder,
    IEnumerable<IDigestPublisher> publishers,
    TimeProvider time,
    ILogger<DigestService> logger) : BackgroundService
{
    /// <summary>A failed pass (database locked, disk full): 10 s, doubling to 10 minutes.</summary>
    private static readonly Foundation.Concurrency.Backoff PassRetry = new(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(10));

    /// <summary>A digest the platform refused: 30 s, doubling to 30 minutes.</summary>
    private static readonly Foundation.Concurrency.Backoff PostRetry = new(TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(30));

    private readonly DigestSchedule _schedule = new(options.Value.Schedule, options.Value.TimeZone);

    /// <summary>Completed passes over the targets (for tests and <c>/stats</c>).</summary>
    public int Ticks { get; private set; }

    /// <summary>Each target's last posted period, the entry for the period due now (state, attempts, next try) and the next period: for the operator console.</summary>
    public async Task<IReadOnlyList<DigestStatus>> StatusAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var latest = _schedule.Latest(now);
        var result = new List<DigestStatus>();
        foreach (var target in Targets())
        {
            var name = target.ToString();
            var last = await ledger.LastDeliveredAsync(name, cancellationToken);
            var current = latest is { } period ? await ledger.GetAsync(name, period, cancellationToken) : null;
            result.Add(new DigestStatus(name, last?.Period, current, _schedule.Next(now)));
        }
        return result;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var targets = Targets();
        if (targets.Count == 0)
            return;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var wake = await TickAsync(stoppingToken);
                failures = 0;
                var delay = wake - time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                    await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // the digest loop must outlive a failing pass (database locked, disk full…): logged, retried
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = PassRetry.Delay(++failures);
                LogPassFailed(logger, ex, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
            }
        }
    }

    /// <summary>Handles every target for the period due now; returns when to look again.</summary>
    public async Task<DateTimeOffset> TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wake = _schedule.Next(now) ?? now + TimeSpan.FromDays(1);
        if (_schedule.Latest(now) is { } period)
        {
            foreach (var target in Targets())
            {
                var retryAt = await HandleTargetAsync(target, period, now, cancellationToken);
                if (retryAt is { } at && at < wake)
                    wake = at;
            }
        }
        Ticks++;
        return wake;
    }

    private async Task<DateTimeOffset?> HandleTargetAsync(DigestTarget target, DateTimeOffset period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = target.ToString();
        var entry = await ledger.GetAsync(key, period, cancellationToken);
        var last = await ledger.LastDeliveredAsync(key, cancellationToken);
        switch (entry?.State)
        {
            case null when last is null:
                // First time this target is seen: start counting here instead of posting the whole corpus.
                await ledger.TryCreateAsync(key, period, DigestState.Baseline, now, cancellationToken);
                return null;
            case null:
                if (!await ledger.TryCreateAsync(key, period, DigestState.Claimed, now, cancellationToken))
                    return null; // another replica took it
                break;
            case DigestState.Failed when entry.NextAttemptAt > now:
                return entry.NextAttemptAt;
            case DigestState.Failed:
                if (!await ledger.TryReclaimAsync(key, period, now, cancellationToken))
                    return null;
                break;
            case DigestState.Claimed:
                // Taken by a replica that is posting it now, or that died mid-post: posting again could duplicate it.
                return null;
            default:
                return null; // posted, skipped or baseline
        }
        return await PostAsync(target, period, since: last?.UpdatedAt ?? _schedule.Previous(period), attempts: entry?.Attempts ?? 0, cancellationToken);
    }

    private async Task<DateTimeOffset?> PostAsync(DigestTarget target, DateTimeOffset period, DateTimeOffset since, int attempts, CancellationToken cancellationToken)
    {
        var key = target.ToString();
        var o = options.Value;
        // The next digest starts from the moment this one's content was taken, so no article falls between two.
        var builtAt = time.GetUtcNow();
        var digest = await builder.BuildAsync(since, o.MaxArticles, o.Language == "en" ? Language.English : Language.French, cancellationToken);
        if (digest.Citations.Count == 0 && !o.PostWhenEmpty)
        {
            await ledger.MarkAsync(key, period, DigestState.Skipped, builtAt, null, cancellationToken);
            return null;
        }
        try
        {
            var publisher = publishers.FirstOrDefault(p => p.Platform == target.Platform)
                ?? throw new InvalidOperationException($"No {target.Platform} adapter is configured to post the digest to {key}.");
            await publisher.PublishAsync(target.Id, digest, cancellationToken);
            await ledger.MarkAsync(key, period, DigestState.Posted, builtAt, null, cancellationToken);
            LogPosted(logger, key, period, digest.Citations.Count);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var delay = PostRetry.Delay(attempts + 1);
            var retryAt = time.GetUtcNow() + delay;
            await ledger.MarkAsync(key, period, DigestState.Failed, time.GetUtcNow(), retryAt, cancellationToken);
            LogPostFailed(logger, ex, key, delay.TotalSeconds);
            return retryAt;
        }
    }

    private List<DigestTarget> Targets() =>
        options.Value.Targets.Select(t => DigestTarget.TryParse(t, out var target) ? target : null).OfType<DigestTarget>().ToList();

    [LoggerMessage(Level = LogLevel.Information, Message = "Digest for period {Period:u} posted to {Target} ({Count} articles)")]
    private static partial void LogPosted(ILogger logger, string target, DateTimeOffset period, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Digest to {Target} failed; retrying in {Seconds} s")]
    private static partial void LogPostFailed(ILogger logger, Exception exception, string target, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Digest pass failed; retrying in {Seconds} s")]
    private static partial void LogPassFailed(ILogger logger, Exception exception, double seconds);
}
