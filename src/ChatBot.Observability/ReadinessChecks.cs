using ChatBot.Core.Conversation.Adapters;
using ChatBot.Core.Indexing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ChatBot.Observability;

/// <summary>Ready when the index is open and answers a count.</summary>
internal sealed class IndexHealthCheck(IndexOpener opener, IIndexStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!opener.IsOpen)
            return HealthCheckResult.Unhealthy("the index is not open yet");
        var counts = await store.GetCountsAsync(cancellationToken);
        return HealthCheckResult.Healthy($"{counts.Articles} articles, {counts.Chunks} chunks",
            new Dictionary<string, object> { ["articles"] = counts.Articles, ["chunks"] = counts.Chunks });
    }
}

/// <summary>Ready when the database takes writes (a write that changes nothing, rolled back).</summary>
internal sealed class DatabaseHealthCheck(IIndexStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ProbeWriteAsync(cancellationToken);
            return HealthCheckResult.Healthy($"{store.Location} is writable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{store.Location} does not take writes: {ex.Message.Split('\n')[0]}");
        }
    }
}

/// <summary>
/// Ready when every configured chat adapter is connected (<see cref="AdapterState.Running"/>); one that is starting,
/// restarting after a failure or parked by a configuration error makes the bot not ready, named with its state.
/// With no adapter configured (a bot that only keeps its index), this check is healthy.
/// </summary>
internal sealed class AdaptersHealthCheck(IEnumerable<SupervisedAdapter> adapters) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var states = adapters.ToDictionary(a => a.Platform, a => a.State);
        var data = states.ToDictionary(s => s.Key, s => (object)s.Value.ToString());
        var down = states.Where(s => s.Value != AdapterState.Running).Select(s => $"{s.Key} is {s.Value.ToString().ToLowerInvariant()}").ToList();
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy(states.Count == 0 ? "no chat adapter configured" : string.Join(", ", states.Keys) + " connected", data)
            : HealthCheckResult.Unhealthy(string.Join(", ", down), data: data));
    }
}
