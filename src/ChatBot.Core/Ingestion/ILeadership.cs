namespace ChatBot.Core.Ingestion;

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
