using ChatBot.Core.Conversation.Inbox;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The durable inbox in the shared database. Several replicas write to it: each hands back, at start-up, its own
/// unfinished items and those a replica that stopped for good left behind (received or last claimed longer ago than the take-over period); the
/// claim is one UPDATE, so two replicas starting together never take the same item.
/// </summary>
public sealed class PostgresInboxStore(PostgresDatabase store) : IInboxStore
{
    public async Task<bool> AcceptAsync(InboxItem item, string owner, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("""
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at) VALUES (@p, @k, @kind, @payload, @o, @at)
            ON CONFLICT (platform, key) DO NOTHING
            """);
        command.Parameters.AddWithValue("p", item.Platform);
        command.Parameters.AddWithValue("k", item.Key);
        command.Parameters.AddWithValue("kind", item.Kind);
        command.Parameters.AddWithValue("payload", item.Payload);
        command.Parameters.AddWithValue("o", owner);
        command.Parameters.AddWithValue("at", item.ReceivedAt.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task CompleteAsync(string platform, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("UPDATE inbox SET done_at = @at, payload = '' WHERE platform = @p AND key = @k AND done_at IS NULL");
        command.Parameters.AddWithValue("p", platform);
        command.Parameters.AddWithValue("k", key);
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<InboxItem>> ClaimPendingAsync(string platform, string owner, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken)
    {
        // An item is another replica's while it was received (or last claimed) less than takeOverAfter ago.
        await using var command = store.Data.CreateCommand("""
            UPDATE inbox SET owner = @o, claimed_at = @now, attempts = attempts + 1
            WHERE platform = @p AND done_at IS NULL AND (owner = @o OR coalesce(claimed_at, received_at) < @stale)
            RETURNING key, kind, payload, received_at, attempts
            """);
        command.Parameters.AddWithValue("p", platform);
        command.Parameters.AddWithValue("o", owner);
        command.Parameters.AddWithValue("now", now.ToUniversalTime());
        command.Parameters.AddWithValue("stale", (now - takeOverAfter).ToUniversalTime());
        var items = new List<InboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new InboxItem(platform, reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)) { Attempts = reader.GetInt32(4) });
        return items.OrderBy(i => i.ReceivedAt).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
    }

    public async Task ParkAsync(InboxItem item, string owner, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("""
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at, done_at, parked_reason) VALUES (@p, @k, @kind, @payload, @o, @received, @at, @reason)
            ON CONFLICT (platform, key) DO UPDATE SET done_at = @at, parked_reason = @reason WHERE inbox.done_at IS NULL
            """);
        command.Parameters.AddWithValue("p", item.Platform);
        command.Parameters.AddWithValue("k", item.Key);
        command.Parameters.AddWithValue("kind", item.Kind);
        command.Parameters.AddWithValue("payload", item.Payload);
        command.Parameters.AddWithValue("o", owner);
        command.Parameters.AddWithValue("received", item.ReceivedAt.ToUniversalTime());
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        command.Parameters.AddWithValue("reason", reason);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<ParkedItems> ParkedAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("""
            SELECT count(*), (SELECT parked_reason FROM inbox WHERE parked_reason IS NOT NULL AND done_at >= @since ORDER BY done_at DESC, key DESC LIMIT 1), max(done_at)
            FROM inbox WHERE parked_reason IS NOT NULL AND done_at >= @since
            """);
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = (int)reader.GetInt64(0);
        return count == 0 ? ParkedItems.None : new ParkedItems(count, reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2));
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < @before");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
