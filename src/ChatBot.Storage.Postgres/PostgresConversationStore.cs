using System.Text.Json;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;

namespace ChatBot.Storage.Postgres;

/// <summary>Conversation history in the shared database, so that any replica can continue a thread.</summary>
public sealed class PostgresConversationStore(PostgresDatabase store) : IConversationStore
{
    public Task SaveAsync(string platform, string chatId, IReadOnlyCollection<string> messageIds, IReadOnlyList<ChatTurn> turns, DateTimeOffset at, CancellationToken cancellationToken) =>
        store.ExecuteAsync("""
            INSERT INTO conversations (platform, chat, message_id, turns, at) SELECT @platform, @chatId, m, @turns::jsonb, @at FROM unnest(@messageIds) AS m
            ON CONFLICT (platform, chat, message_id) DO UPDATE SET turns = excluded.turns, at = excluded.at
            """, new { platform, chatId, messageIds = messageIds.ToArray(), turns = JsonSerializer.Serialize(turns), at }, cancellationToken);

    public async Task<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)?> LoadAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken)
    {
        var rows = await store.QueryAsync<(string Turns, DateTimeOffset At)>(
            "SELECT turns::text, at FROM conversations WHERE platform = @platform AND chat = @chatId AND message_id = @messageId", new { platform, chatId, messageId }, cancellationToken);
        return rows.Count == 0 ? null : (Turns(rows[0].Turns), rows[0].At);
    }

    public async Task<IReadOnlyList<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken) =>
        (await store.QueryAsync<(string Turns, DateTimeOffset At)>("SELECT turns::text, at FROM conversations WHERE at >= @since", new { since }, cancellationToken))
            .Select(row => ((IReadOnlyList<ChatTurn>)Turns(row.Turns), row.At)).ToList();

    public Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("DELETE FROM conversations WHERE at < @before", new { before }, cancellationToken);

    private static List<ChatTurn> Turns(string json) => JsonSerializer.Deserialize<List<ChatTurn>>(json) ?? [];
}
