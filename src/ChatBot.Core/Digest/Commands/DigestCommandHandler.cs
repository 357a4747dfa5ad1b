using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Digest.Commands;

/// <summary><c>/digest</c>: the articles of the last day, for the caller only (the scheduled digest is the DigestService's).</summary>
public sealed class DigestCommandHandler(DigestBuilder digest, TimeProvider time) : ICommandHandler
{
    /// <summary>How far back an on-demand digest looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public const int MaxArticles = 10;

    public string Name => BotCommands.Digest;

    public Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken) =>
        digest.BuildAsync(time.GetUtcNow() - Window, MaxArticles, language, cancellationToken);
}
