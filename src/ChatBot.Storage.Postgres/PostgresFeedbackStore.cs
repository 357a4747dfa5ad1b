using ChatBot.Core.Conversation.Controls;

namespace ChatBot.Storage.Postgres;

/// <summary>Feedback votes in the shared database; one row per (answer, user).</summary>
public sealed class PostgresFeedbackStore(PostgresDatabase store) : IFeedbackStore
{
    public Task SaveVoteAsync(FeedbackVote vote, CancellationToken cancellationToken) =>
        store.ExecuteAsync("""
            INSERT INTO feedback (platform, chat, message_id, user_id, vote, question, answer, citations, at)
            VALUES (@Platform, @ChatId, @MessageId, @UserId, @Vote, @Question, @Answer, to_jsonb(@Citations), @At)
            ON CONFLICT (platform, chat, message_id, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at
            """, vote, cancellationToken);

    public Task<IReadOnlyList<FeedbackVote>> VotesAsync(CancellationToken cancellationToken) =>
        store.QueryAsync<FeedbackVote>("""
            SELECT platform, chat AS chatid, message_id AS messageid, user_id AS userid, vote, question, answer,
                ARRAY(SELECT jsonb_array_elements_text(citations)) AS citations, at
            FROM feedback
            """, null, cancellationToken);

    public Task ForgetFeedbackTextAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        store.ExecuteAsync("UPDATE feedback SET question = NULL, answer = NULL WHERE at < @before AND (question IS NOT NULL OR answer IS NOT NULL)", new { before }, cancellationToken);
}
