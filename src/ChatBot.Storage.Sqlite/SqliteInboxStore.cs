using ChatBot.Core.Inbox;


namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The durable inbox in the index file. One process owns a SQLite file, so every unfinished item is its own: all are
/// handed back at start-up, whatever name the previous run had.
/// </summary>
public sealed class SqliteInboxStore(SqliteIndexStore store) : IInboxStore
{
    public async Task<bool> AcceptAsync(InboxItem item, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at) VALUES ($p, $k, $kind, $payload, $o, $at)
            ON CONFLICT (platform, key) DO NOTHING
            """;
        command.Parameters.AddWithValue("$p", item.Platform);
        command.Parameters.AddWithValue("$k", item.Key);
        command.Parameters.AddWithValue("$kind", item.Kind);
        command.Parameters.AddWithValue("$payload", item.Payload);
        command.Parameters.AddWithValue("$o", owner);
        command.Parameters.AddWithValue("$at", SqliteValues.Instant(item.ReceivedAt));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task CompleteAsync(string platform, string key, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE inbox SET done_at = $at, payload = '' WHERE platform = $p AND key = $k AND done_at IS NULL";
        command.Parameters.AddWithValue("$p", platform);
        command.Parameters.AddWithValue("$k", key);
        command.Parameters.AddWithValue("$at", SqliteValues.Instant(at));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<InboxItem>> ClaimPendingAsync(string platform, string owner, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE inbox SET owner = $o WHERE platform = $p AND done_at IS NULL
            RETURNING key, kind, payload, received_at
            """;
        command.Parameters.AddWithValue("$p", platform);
        command.Parameters.AddWithValue("$o", owner);
        var items = new List<InboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new InboxItem(platform, reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteValues.ReadInstant(reader.GetString(3))));
        return items.OrderBy(i => i.ReceivedAt).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
    }

    public async Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < $before";
        command.Parameters.AddWithValue("$before", SqliteValues.Instant(before));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
