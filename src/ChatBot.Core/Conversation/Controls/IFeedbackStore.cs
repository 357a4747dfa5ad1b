namespace ChatBot.Core.Conversation.Controls;

/// <summary>A vote on one answer by one user; voting again replaces it.</summary>
public sealed record FeedbackVote(string Platform, string ChatId, string MessageId, string UserId, int Vote, string? Question, string? Answer, IReadOnlyList<string> Citations, DateTimeOffset At);

public interface IFeedbackStore
{
    Task SaveVoteAsync(FeedbackVote vote, CancellationToken cancellationToken);

    Task<IReadOnlyList<FeedbackVote>> VotesAsync(CancellationToken cancellationToken);

    /// <summary>Removes the question and answer text of votes older than <paramref name="before"/>; the votes stay.</summary>
    Task ForgetFeedbackTextAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
