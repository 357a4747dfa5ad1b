using ChatBot.Core.Answering.Chat;

namespace ChatBot.Core.Digest;

/// <summary>Posts a digest to a chat of one platform; each chat adapter that can post digests registers one.</summary>
public interface IDigestPublisher
{
    string Platform { get; }

    Task PublishAsync(string chatId, ChatReply digest, CancellationToken cancellationToken);
}
