using System.Text.Json;
using ChatBot.Core.Answering;
using ChatBot.Core.Storage;
using NpgsqlTypes;

namespace ChatBot.Postgres;

/// <summary>Conversation history and feedback votes in the database, so that any replica can continue a thread.</summary>
public sealed partial class PostgresIndexStore : IConversationStore, IFeedbackStore
{
    public async Task SaveAsync(string platform, string chatId, IReadOnlyCollection<string> messageIds, IReadOnlyList<ChatTurn> turns, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _data.CreateCommand("""
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
        await using var command = _data.CreateCommand("SELECT turns::text, at FROM conversations WHERE platform = @p AND chat = @c AND message_id = @m");
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
        await using var command = _data.CreateCommand("SELECT turns::text, at FROM conversations WHERE at >= @since");
        command.Parameters.AddWithValue("since", since.ToUniversalTime());
        var entries = new List<(IReadOnlyList<ChatTurn>, DateTimeOffset)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            entries.Add((JsonSerializer.Deserialize<List<ChatTurn>>(reader.GetString(0)) ?? [], reader.GetFieldValue<DateTimeOffset>(1)));
        return entries;
    }

    public async Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = _data.CreateCommand("DELETE FROM conversations WHERE at < @before");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SaveVoteAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        await using var command = _data.CreateCommand("""
            INSERT INTO feedback (platform, chat, message_id, user_id, vote, question, answer, citations, at)
            VALUES (@p, @c, @m, @u, @v, @q, @a, @cit, @at)
            ON CONFLICT (platform, chat, message_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at
            """);
        command.Parameters.AddWithValue("p", vote.Platform);
        command.Parameters.AddWithValue("c", vote.ChatId);
        command.Parameters.AddWithValue("m", vote.MessageId);
        command.Parameters.AddWithValue("u", vote.UserId);
        command.Parameters.AddWithValue("v", vote.Vote);
        command.Parameters.AddWithValue("q", NpgsqlDbType.Text, (object?)vote.Question ?? DBNull.Value);
        command.Parameters.AddWithValue("a", NpgsqlDbType.Text, (object?)vote.Answer ?? DBNull.Value);
        command.Parameters.AddWithValue("cit", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(vote.Citations));
        command.Parameters.AddWithValue("at", vote.At.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<FeedbackVote>> VotesAsync(CancellationToken cancellationToken)
    {
        await using var command = _data.CreateCommand("SELECT platform, chat, message_id, user_id, vote, question, answer, citations::text, at FROM feedback");
        var votes = new List<FeedbackVote>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            votes.Add(new FeedbackVote(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetInt32(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                JsonSerializer.Deserialize<List<string>>(reader.GetString(7)) ?? [], reader.GetFieldValue<DateTimeOffset>(8)));
        }
        return votes;
    }

    public async Task ForgetFeedbackTextAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = _data.CreateCommand("UPDATE feedback SET question = NULL, answer = NULL WHERE at < @before AND (question IS NOT NULL OR answer IS NOT NULL)");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
