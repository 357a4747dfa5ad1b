using ChatBot.Core.Conversation.Inbox;

namespace ChatBot.Storage.Postgres;

/// <summary>
/// The durable inbox in the shared database. Several replicas write to it: each hands back, at start-up, its own
/// unfinished items and those a replica that stopped for good left behind (received or last claimed longer ago than the take-over period); the
/// claim is one UPDATE, so two replicas starting together never take the same item.
/// </summary>
public sealed class PostgresInboxStore(PostgresDatabase store) : IInboxStore
{
    public async Task<bool> AcceptAsync(InboxItem item, string owner, CancellationToken cancellationToken) =>
        await store.ExecuteAsync("""
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at) VALUES (@Platform, @Key, @Kind, @Payload, @owner, @ReceivedAt)
            ON CONFLICT (platform, key) DO NOTHING
            """, new { item.Platform, item.Key, item.Kind, item.Payload, owner, item.ReceivedAt }, cancellationToken) == 1;

    public Task CompleteAsync(string platform, string key, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.ExecuteAsync("UPDATE inbox SET done_at = @at, payload = '' WHERE platform = @platform AND key = @key AND done_at IS NULL", new { platform, key, at }, cancellationToken);

    public async Task<IReadOnlyList<InboxItem>> ClaimPendingAsync(string platform, string owner, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken)
    {
        // An item is another replica's while it was received (or last claimed) less than takeOverAfter ago.
        var claimed = await store.QueryAsync<(string Key, string Kind, string Payload, DateTimeOffset ReceivedAt, int Attempts)>("""
            UPDATE inbox SET owner = @owner, claimed_at = @now, attempts = attempts + 1
            WHERE platform = @platform AND done_at IS NULL AND (owner = @owner OR coalesce(claimed_at, received_at) < @stale)
            RETURNING key, kind, payload, received_at, attempts
            """, new { platform, owner, now, stale = now - takeOverAfter }, cancellationToken);
        return claimed.Select(c => new InboxItem(platform, c.Key, c.Kind, c.Payload, c.ReceivedAt) { Attempts = c.Attempts })
            .OrderBy(i => i.ReceivedAt).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
    }

    public Task ParkAsync(InboxItem item, string owner, string reason, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.ExecuteAsync("""
            INSERT INTO inbox (platform, key, kind, payload, owner, received_at, done_at, parked_reason) VALUES (@Platform, @Key, @Kind, @Payload, @owner, @ReceivedAt, @at, @reason)
            ON CONFLICT (platform, key) DO UPDATE SET done_at = @at, parked_reason = @reason WHERE inbox.done_at IS NULL
            """, new { item.Platform, item.Key, item.Kind, item.Payload, owner, item.ReceivedAt, at, reason }, cancellationToken);

    public async Task<ParkedItems> ParkedAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var parked = await store.QuerySingleOrDefaultAsync<ParkedItems>("""
            SELECT count(*)::int AS count,
                (SELECT parked_reason FROM inbox WHERE parked_reason IS NOT NULL AND done_at >= @since ORDER BY done_at DESC, key DESC LIMIT 1) AS lastreason,
                max(done_at) AS lastat
            FROM inbox WHERE parked_reason IS NOT NULL AND done_at >= @since
            """, new { since }, cancellationToken);
        return parked is null || parked.Count == 0 ? ParkedItems.None : parked;
    }

    public Task<int> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < @before", new { before }, cancellationToken);
}
