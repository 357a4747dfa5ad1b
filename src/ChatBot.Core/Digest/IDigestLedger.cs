namespace ChatBot.Core.Digest;

public enum DigestState
{
    /// <summary>A replica took the period and is posting it (or died doing so: then it is never posted again).</summary>
    Claimed,
    Posted,
    /// <summary>Posting failed for certain (an error came back); retried from <see cref="DigestEntry.NextAttemptAt"/>.</summary>
    Failed,
    /// <summary>The first period a new target saw: nothing posted, later digests count from here.</summary>
    Baseline,
    /// <summary>Nothing new and <c>PostWhenEmpty</c> off: recorded so it is not considered again.</summary>
    Skipped,
}

/// <summary>Where one digest target stands: what was last posted, the period due now, when the next one falls due.</summary>
public sealed record DigestStatus(string Target, DateTimeOffset? LastPosted, DigestEntry? Current, DateTimeOffset? Next);

public sealed record DigestEntry(string Target, DateTimeOffset Period, DigestState State, int Attempts, DateTimeOffset UpdatedAt, DateTimeOffset? NextAttemptAt);

/// <summary>
/// The record of digests per (target, period) that makes posting happen at most once, across restarts and replicas:
/// a period is claimed atomically before posting and marked after.
/// </summary>
public interface IDigestLedger
{
    Task<DigestEntry?> GetAsync(string target, DateTimeOffset period, CancellationToken cancellationToken);

    /// <summary>The latest period that counts as delivered for the target (posted, baseline or skipped).</summary>
    Task<DigestEntry?> LastDeliveredAsync(string target, CancellationToken cancellationToken);

    /// <summary>Creates the entry in <paramref name="state"/> if none exists; false when another holder got there first.</summary>
    Task<bool> TryCreateAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Takes a failed period whose retry time has come; false when it is not (or no longer) so.</summary>
    Task<bool> TryReclaimAsync(string target, DateTimeOffset period, DateTimeOffset now, CancellationToken cancellationToken);

    Task MarkAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken);
}
