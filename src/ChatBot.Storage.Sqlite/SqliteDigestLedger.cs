using ChatBot.Core.Digest;
using Microsoft.Data.Sqlite;


namespace ChatBot.Storage.Sqlite;

/// <summary>The digest ledger in the index file; each step is one statement, atomic under SQLite's write lock.</summary>
public sealed class SqliteDigestLedger(SqliteDatabase store) : IDigestLedger
{
    public async Task<DigestEntry?> GetAsync(string target, DateTimeOffset period, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = Command(connection, "SELECT target, period, state, attempts, updated_at, next_attempt_at FROM digest_ledger WHERE target = $t AND period = $p", target, period);
        return await ReadEntryAsync(command, cancellationToken);
    }

    public async Task<DigestEntry?> LastDeliveredAsync(string target, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = Command(connection, """
            SELECT target, period, state, attempts, updated_at, next_attempt_at FROM digest_ledger
            WHERE target = $t AND state IN ('Posted', 'Baseline', 'Skipped') ORDER BY period DESC LIMIT 1
            """, target, null);
        return await ReadEntryAsync(command, cancellationToken);
    }

    public async Task<bool> TryCreateAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = Command(connection, "INSERT INTO digest_ledger (target, period, state, attempts, updated_at) VALUES ($t, $p, $s, 0, $now) ON CONFLICT DO NOTHING", target, period);
        command.Parameters.AddWithValue("$s", state.ToString());
        command.Parameters.AddWithValue("$now", SqliteValues.Instant(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> TryReclaimAsync(string target, DateTimeOffset period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE digest_ledger SET state = 'Claimed', updated_at = $now
            WHERE target = $t AND period = $p AND state = 'Failed' AND (next_attempt_at IS NULL OR next_attempt_at <= $now)
            """, target, period);
        command.Parameters.AddWithValue("$now", SqliteValues.Instant(now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task MarkAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = Command(connection, """
            UPDATE digest_ledger SET state = $s, updated_at = $now, next_attempt_at = $next,
                attempts = attempts + CASE WHEN $s = 'Failed' THEN 1 ELSE 0 END
            WHERE target = $t AND period = $p
            """, target, period);
        command.Parameters.AddWithValue("$s", state.ToString());
        command.Parameters.AddWithValue("$now", SqliteValues.Instant(now));
        command.Parameters.AddWithValue("$next", nextAttemptAt is { } next ? SqliteValues.Instant(next) : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, string target, DateTimeOffset? period)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$t", target);
        if (period is { } p)
            command.Parameters.AddWithValue("$p", SqliteValues.Instant(p));
        return command;
    }

    private static async Task<DigestEntry?> ReadEntryAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new DigestEntry(
            reader.GetString(0),
            SqliteValues.ReadInstant(reader.GetString(1)),
            Enum.Parse<DigestState>(reader.GetString(2)),
            reader.GetInt32(3),
            SqliteValues.ReadInstant(reader.GetString(4)),
            reader.IsDBNull(5) ? null : SqliteValues.ReadInstant(reader.GetString(5)));
    }
}
