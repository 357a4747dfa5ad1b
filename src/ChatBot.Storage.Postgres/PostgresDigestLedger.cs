using ChatBot.Core.Digest;
using Npgsql;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The digest ledger in the database: each step is one statement, so claiming a period is atomic across replicas
/// (the primary key decides which replica's insert wins).
/// </summary>
public sealed class PostgresDigestLedger(PostgresDatabase store) : IDigestLedger
{
    private const string EntryColumns = "target, period, state, attempts, updated_at, next_attempt_at";

    public async Task<DigestEntry?> GetAsync(string target, DateTimeOffset period, CancellationToken cancellationToken)
    {
        await using var command = LedgerCommand($"SELECT {EntryColumns} FROM digest_ledger WHERE target = @t AND period = @p", target, period);
        return await ReadEntryAsync(command, cancellationToken);
    }

    public async Task<DigestEntry?> LastDeliveredAsync(string target, CancellationToken cancellationToken)
    {
        await using var command = LedgerCommand($"""
            SELECT {EntryColumns} FROM digest_ledger
            WHERE target = @t AND state IN ('Posted', 'Baseline', 'Skipped') ORDER BY period DESC LIMIT 1
            """, target, null);
        return await ReadEntryAsync(command, cancellationToken);
    }

    public async Task<bool> TryCreateAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = LedgerCommand("INSERT INTO digest_ledger (target, period, state, attempts, updated_at) VALUES (@t, @p, @s, 0, @now) ON CONFLICT DO NOTHING", target, period);
        command.Parameters.AddWithValue("s", state.ToString());
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<bool> TryReclaimAsync(string target, DateTimeOffset period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = LedgerCommand("""
            UPDATE digest_ledger SET state = 'Claimed', updated_at = @now
            WHERE target = @t AND period = @p AND state = 'Failed' AND (next_attempt_at IS NULL OR next_attempt_at <= @now)
            """, target, period);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task MarkAsync(string target, DateTimeOffset period, DigestState state, DateTimeOffset now, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken)
    {
        await using var command = LedgerCommand("""
            UPDATE digest_ledger SET state = @s, updated_at = @now, next_attempt_at = @next,
                attempts = attempts + CASE WHEN @s = 'Failed' THEN 1 ELSE 0 END
            WHERE target = @t AND period = @p
            """, target, period);
        command.Parameters.AddWithValue("s", state.ToString());
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("next", NpgsqlTypes.NpgsqlDbType.TimestampTz, nextAttemptAt is { } next ? next.ToUniversalTime() : DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand LedgerCommand(string sql, string target, DateTimeOffset? period)
    {
        var command = store.Data.CreateCommand(sql);
        command.Parameters.AddWithValue("t", target);
        if (period is { } p)
            command.Parameters.AddWithValue("p", p.ToUniversalTime());
        return command;
    }

    private static async Task<DigestEntry?> ReadEntryAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return new DigestEntry(
            reader.GetString(0),
            reader.GetFieldValue<DateTimeOffset>(1),
            Enum.Parse<DigestState>(reader.GetString(2)),
            reader.GetInt32(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
    }
}
