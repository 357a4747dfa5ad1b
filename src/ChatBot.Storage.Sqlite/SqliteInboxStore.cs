using ChatBot.Core.Conversation.Inbox;


namespace ChatBot.Storage.Sqlite;

/// <summary>
/// The durable inbox in the index file. One process owns a SQLite file, so every unfinished item is its own: all are
/// handed back at start-up, whatever name the previous run had.
/// </summary>
public sealed class SqliteInboxStore(SqliteDatabase store) : IInboxStore
{
    public async Task<bool> AcceptAsync(InboxItem item, string owner, CancellationToken cancellationToken) =>
        await store.ExecuteAsync("""
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at) VALUES ($p, $k, $kind, $payload, $o, $at)
            ON CONFLICT (platform, key) DO NOTHING
            """, cancellationToken,
            ("$p", item.Platform), ("$k", item.Key), ("$kind", item.Kind), ("$payload", item.Payload), ("$o", owner), ("$at", SqliteValues.Instant(item.ReceivedAt))) == 1;

    public Task CompleteAsync(string platform, string key, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.ExecuteAsync("UPDATE inbox SET done_at = $at, payload = '' WHERE platform = $p AND key = $k AND done_at IS NULL",
            cancellationToken, ("$p", platform), ("$k", key), ("$at", SqliteValues.Instant(at)));

    public async Task<IReadOnlyList<InboxItem>> ClaimPendingAsync(string platform, string owner, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.Command("""
            UPDATE inbox SET owner = $o, attempts = attempts + 1 WHERE platform = $p AND done_at IS NULL
            RETURNING key, kind, payload, received_at, attempts
            """, ("$p", platform), ("$o", owner));
        var items = new List<InboxItem>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            items.Add(new InboxItem(platform, reader.GetString(0), reader.GetString(1), reader.GetString(2), SqliteValues.ReadInstant(reader.GetString(3))) { Attempts = reader.GetInt32(4) });
        return items.OrderBy(i => i.ReceivedAt).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
    }

    public Task ParkAsync(InboxItem item, string owner, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.ExecuteAsync("""
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at, done_at, parked_reason) VALUES ($p, $k, $kind, $payload, $o, $received, $at, $reason)
            ON CONFLICT (platform, key) DO UPDATE SET done_at = $at, parked_reason = $reason WHERE inbox.done_at IS NULL
            """, cancellationToken,
            ("$p", item.Platform), ("$k", item.Key), ("$kind", item.Kind), ("$payload", item.Payload), ("$o", owner),
            ("$received", SqliteValues.Instant(item.ReceivedAt)), ("$at", SqliteValues.Instant(at)), ("$reason", reason));

    public async Task<ParkedItems> ParkedAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.Command("""
            SELECT count(*), (SELECT parked_reason FROM inbox WHERE parked_reason IS NOT NULL AND done_at >= $since ORDER BY done_at DESC, rowid DESC LIMIT 1), max(done_at)
            FROM inbox WHERE parked_reason IS NOT NULL AND done_at >= $since
            """, ("$since", SqliteValues.Instant(since)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var count = reader.GetInt32(0);
        return count == 0 ? ParkedItems.None : new ParkedItems(count, reader.IsDBNull(1) ? null : reader.GetString(1), SqliteValues.ReadInstant(reader.GetString(2)));
    }

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < $before", cancellationToken, ("$before", SqliteValues.Instant(before)));
}
