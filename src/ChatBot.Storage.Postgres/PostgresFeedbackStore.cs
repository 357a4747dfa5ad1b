using System.Text.Json;
using ChatBot.Core.Conversation.Controls;
using NpgsqlTypes;

namespace ChatBot.Storage.Postgres;

/// <summary>Feedback votes in the shared database; one row per (answer, user).</summary>
public sealed class PostgresFeedbackStore(PostgresDatabase store) : IFeedbackStore
{
    public async Task SaveVoteAsync(FeedbackVote vote, CancellationToken cancellationToken)
    {
        await using var command = store.Data.CreateCommand("""
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
        await using var command = store.Data.CreateCommand("SELECT platform, chat, message_id, user_id, vote, question, answer, citations::text, at FROM feedback");
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
        await using var command = store.Data.CreateCommand("UPDATE feedback SET question = NULL, answer = NULL WHERE at < @before AND (question IS NOT NULL OR answer IS NOT NULL)");
        command.Parameters.AddWithValue("before", before.ToUniversalTime());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
