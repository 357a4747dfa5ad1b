using ChatBot.Core.Answering.Chat;

namespace ChatBot.Core.Conversation.Memory;

/// <summary>Conversation history by the bot message it was answered with: (platform, chat, message id).</summary>
public interface IConversationStore
{
    Task SaveAsync(string platform, string chatId, IReadOnlyCollection<string> messageIds, IReadOnlyList<ChatTurn> turns, DateTimeOffset at, CancellationToken cancellationToken);

    Task<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)?> LoadAsync(string platform, string chatId, string messageId, CancellationToken cancellationToken);

    /// <summary>Every history entry saved since <paramref name="since"/> (one per bot message).</summary>
    Task<IReadOnlyList<(IReadOnlyList<ChatTurn> Turns, DateTimeOffset At)>> RecentAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes history saved before <paramref name="before"/>.</summary>
    Task PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
