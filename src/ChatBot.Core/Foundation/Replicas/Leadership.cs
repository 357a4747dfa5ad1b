namespace ChatBot.Core.Foundation.Replicas;

/// <summary>
/// Which replica keeps the index current. Every replica answers; only the leader watches the corpus and ingests.
/// With one process on an embedded index that process always leads.
/// </summary>
public interface ILeadership
{
    /// <summary>Whether this process leads now.</summary>
    bool IsLeader { get; }

    /// <summary>
    /// Waits until this process leads. The token returned is cancelled when the lead is lost (the database connection
    /// that holds it broke); the caller then stops its leader-only work and calls again.
    /// </summary>
    Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken);
}

/// <summary>The single-process case: always the leader, never deposed.</summary>
public sealed class SoleLeadership : ILeadership
{
    public bool IsLeader => true;

    public Task<CancellationToken> AcquireAsync(CancellationToken cancellationToken) => Task.FromResult(CancellationToken.None);
}

/// <summary>The loop every leader-only service runs: wait for the lead, work while it holds, start over when it is lost.</summary>
public static class LeaderLoop
{
    /// <summary>
    /// Runs <paramref name="work"/> each time this process takes the lead, with a token cancelled when the lead is lost or
    /// the host stops; returns when the host stops. <paramref name="onLead"/> and <paramref name="onLost"/> are told (for
    /// logs) when a lead that can be lost is taken and lost.
    /// </summary>
    public static async Task RunAsync(ILeadership leadership, Func<CancellationToken, Task> work, CancellationToken stoppingToken, Action? onLead = null, Action? onLost = null)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            CancellationToken lead;
            try
            {
                lead = await leadership.AcquireAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            if (lead.CanBeCanceled)
                onLead?.Invoke();
            using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lead);
            try
            {
                await work(leading.Token);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
                // the lead was lost, or the host is stopping
            }
            if (!stoppingToken.IsCancellationRequested)
                onLost?.Invoke();
        }
    }
}
