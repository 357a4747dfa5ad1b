using System.Text.Json;
using Microsoft.Data.Sqlite;

using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Memory;

namespace ChatBot.Storage.Sqlite;

/// <summary>Conversation history in the index file, as JSON per bot message.</summary>
public sealed class SqliteConversationStore(SqliteDatabase store) : IConversationStore
{
    public async Task SaveAsync(string platform, string chatId, IReadOnlyCollection<string> messageIds, IReadOnlyList<ChatTurn> turns, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(turns);
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var messageId in messageIds)
        {
            await using var command = connection.Command("""
                INSERT INTO conversations (platform, chat, message_id, turns, at) VALUES ($p, $c, $m, $t, $at)
                ON CONFLICT (platform, chat, message_id) DO UPDATE SET turns = excluded.turns, at = excluded.at
                """, ("$p", platform), ("$c", chatId), ("$m", messageId), ("$t", json), ("$at", SqliteValues.Instant(at)));
            command.Transaction = transaction;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)?> LoadAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.Command("SELECT turns, at FROM conversations WHERE platform = $p AND chat = $c AND message_id = $m",
            ("$p", platform), ("$c", chatId), ("$m", messageId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return null;
        var turns = JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [];
        return (turns, SqliteValues.ReadInstant(reader.GetString(1)));
    }

    public async Task<IReadOnlyList<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await store.ConnectAsync(cancellationToken);
        await using var command = connection.Command("SELECT turns, at FROM conversations WHERE at >= $since", ("$since", SqliteValues.Instant(since)));
        var entries = new List<(IReadOnlyList<ChatTurn>, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            entries.Add((JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [], SqliteValues.ReadInstant(reader.GetString(1))));
        return entries;
    }

    public Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("DELETE FROM conversations WHERE at < $before", cancellationToken, ("$before", SqliteValues.Instant(before)));
}
