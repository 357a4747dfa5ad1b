using ChatBot.Core.Digest;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The digest ledger in the database: each step is one statement, so claiming a period is atomic across replicas
/// (the primary key decides which replica's insert wins).
/// </summary>
public sealed class PostgresDigestLedger(PostgresDatabase store) : IDigestLedger
{
    private const string EntryColumns = "target, period, state, attempts, updated_at AS updatedat, next_attempt_at AS nextattemptat";

    public Task<DigestEntry?> GetAsync(string target, DateTimeOffset period, CancellationToken cancellationToken) =>
        store.QuerySingleOrDefaultAsync<DigestEntry>($"SELECT {EntryColumns} FROM digest_ledger WHERE target = @target AND period = @period", new { target, period }, cancellationToken);

    public Task<DigestEntry?> LastDeliveredAsync(string target, CancellationToken cancellationToken) =>
        store.QuerySingleOrDefaultAsync<DigestEntry>($"""
            SELECT {EntryColumns} FROM digest_ledger
            WHERE target = @target AND state IN ('Posted', 'Baseline', 'Skipped') ORDER BY period DESC LIMIT 1
            """, new { target }, cancellationToken);

    public async Task<bool> TryCreateAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, CancellationToken cancellationToken) =>
        await store.ExecuteAsync("INSERT INTO digest_ledger (target, period, state, attempts, updated_at) VALUES (@target, @period, @state, 0, @now) ON CONFLICT DO NOTHING",
            new { target, period, state = state.ToString(), now }, cancellationToken) == 1;

    public async Task<bool> TryReclaimAsync(string target, DateTimeOffset period, DateTimeOffset now, CancellationToken cancellationToken) =>
        await store.ExecuteAsync("""
            UPDATE digest_ledger SET state = 'Claimed', updated_at = @now
            WHERE target = @target AND period = @period AND state = 'Failed' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            """, new { target, period, now }, cancellationToken) == 1;

    public Task MarkAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken) =>
        store.ExecuteAsync("""
            UPDATE digest_ledger SET state = @state, updated_at = @now, next_attempt_at = @nextAttemptAt,
                attempts = attempts + CASE WHEN @state = 'Failed' THEN 1 ELSE 0 END
            WHERE target = @target AND period = @period
            """, new { target, period, state = state.ToString(), now, nextAttemptAt }, cancellationToken);
}
