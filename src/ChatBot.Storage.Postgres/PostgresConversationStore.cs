using System.Text.Json;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;
using NpgsqlTypes;

namespace ChatBot.Storage.Postgres;

/// <summary>Conversation history in the shared database, so that any replica can continue a thread.</summary>
public sealed class PostgresConversationStore(PostgresDatabase store) : IConversationStore
{
    public async Task SaveAsync(string platform, string chatId, IReadOnlyCollection<string> messageIds, IReadOnlyList<ChatTurn> turns, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("""
            INSERT INTO conversations (platform, chat, message_id, turns, at) SELECT @p, @c, m, @t, @at FROM unnest(@m) AS m
            ON CONFLICT (platform, chat, message_id) DO UPDATE SET turns = excluded.turns, at = excluded.at
            """);
        command.Parameters.AddWithValue("p", platform);
        command.Parameters.AddWithValue("c", chatId);
        command.Parameters.AddWithValue("m", messageIds.ToArray());
        command.Parameters.AddWithValue("t", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(turns));
        command.Parameters.AddWithValue("at", at.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)?> LoadAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("SELECT turns::text, at FROM conversations WHERE platform = @p AND chat = @c AND message_id = @m");
        command.Parameters.AddWithValue("p", platform);
        command.Parameters.AddWithValue("c", chatId);
        command.Parameters.AddWithValue("m", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        return (JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [], reader.GetFieldValue<DateTimeOffset>(1));
    }

    public async Task<IReadOnlyList<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("SELECT turns::text, at FROM conversations WHERE at >= @since");
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        var entries = new List<(IReadOnlyList<ChatTurn>, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            entries.Add((JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [], reader.GetFieldValue<DateTimeOffset>(1)));
        return entries;
    }

    public async Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("DELETE FROM conversations WHERE at < @before");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
