using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>Who the bot is on Telegram (from <c>getMe</c>), known once the adapter has started.</summary>
public sealed class TelegramBotIdentity
{
    private readonly TaskCompletionSource<User> _user = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<User> UserAsync => _user.Task;

    public void Set(User user) => _user.TrySetResult(user);
}
