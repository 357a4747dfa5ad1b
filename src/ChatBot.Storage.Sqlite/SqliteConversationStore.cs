using System.Text.Json;
using Microsoft.Data.Sqlite;

using ChatBot.Core.Chat;
using ChatBot.Core.Conversations;

namespace ChatBot.Storage.Sqlite;

/// <summary>Conversation history in the index file, as JSON per bot message.</summary>
public sealed class SqliteConversationStore(SqliteIndexStore store) : IConversationStore
{
    public async Task SaveAsync(string platform, string chatId, IReadOnlyCollection<string> messageIds, IReadOnlyList<ChatTurn> turns, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(turns);
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var messageId in messageIds)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT INTO conversations (platform, chat, message_id, turns, at) VALUES ($p, $c, $m, $t, $at)
                ON CONFLICT (platform, chat, message_id) DO UPDATE SET turns = excluded.turns, at = excluded.at
                """;
            command.Parameters.AddWithValue("$p", platform);
            command.Parameters.AddWithValue("$c", chatId);
            command.Parameters.AddWithValue("$m", messageId);
            command.Parameters.AddWithValue("$t", json);
            command.Parameters.AddWithValue("$at", SqliteValues.Instant(at));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)?> LoadAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT turns, at FROM conversations WHERE platform = $p AND chat = $c AND message_id = $m";
        command.Parameters.AddWithValue("$p", platform);
        command.Parameters.AddWithValue("$c", chatId);
        command.Parameters.AddWithValue("$m", messageId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var turns = JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [];
        return (turns, SqliteValues.ReadInstant(reader.GetString(1)));
    }

    public async Task<IReadOnlyList<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT turns, at FROM conversations WHERE at >= $since";
        command.Parameters.AddWithValue("$since", SqliteValues.Instant(since));
        var entries = new List<(IReadOnlyList<ChatTurn>, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            entries.Add((JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [], SqliteValues.ReadInstant(reader.GetString(1))));
        return entries;
    }

    public async Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM conversations WHERE at < $before";
        command.Parameters.AddWithValue("$before", SqliteValues.Instant(before));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
