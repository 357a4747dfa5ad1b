using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands;

/// <summary>
/// One bot command (<c>ask</c>, <c>summary</c>, <c>sources</c>, <c>digest</c>, <c>help</c>, and the admins'
/// <c>reindex</c> and <c>stats</c>), found by <see cref="Name"/> by the <see cref="CommandRouter"/>, which checks access,
/// admin rights and quotas first.
/// </summary>
public interface ICommandHandler
{
    string Name { get; }

    /// <summary>Only the configured admins may run it; to anyone else it looks like an unknown command.</summary>
    bool AdminOnly => false;

    /// <summary>It counts against the asker's quota.</summary>
    bool Metered => true;

    /// <summary>The reply; <paramref name="language"/> is the context's or the one detected from the argument.</summary>
    Task<ChatReply> HandleAsync(string argument, CommandContext context, Language language, CancellationToken cancellationToken);
}
