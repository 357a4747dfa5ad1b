using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Conversations;

/// <summary>The core keeps the conversation: adapters only name the message replied to and the messages they sent.</summary>
public sealed class ConversationRouterTests
{
    [Fact]
    public async Task A_reply_to_a_sent_answer_continues_its_conversation_and_other_commands_are_not_remembered()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var router = bot.Services.GetRequiredService<ConversationRouter>();
        var context = new CommandContext(new ChatOrigin("telegram", "42", "7"), 4000);

        var first = await router.HandleAsync(BotCommands.Ask, "Que dit Choïgou de la coopération militaire ?", context, repliedToBotMessageId: null, Ct);
        await first!.RememberAsync("42", ["5001", "5002"], Ct);
        var help = await router.HandleAsync(BotCommands.Help, "", context, repliedToBotMessageId: null, Ct);
        await help!.RememberAsync("42", ["5003"], Ct);
        var followUp = await router.HandleAsync(BotCommands.Ask, "Et qui l'a rapporté ?", context, repliedToBotMessageId: "5002", Ct);
        var unrelated = await router.HandleAsync(BotCommands.Ask, "Et qui l'a rapporté ?", context, repliedToBotMessageId: "5003", Ct);

        Assert.True(first.IsAnswer && first.Reply.Grounded);
        Assert.False(help.IsAnswer);
        var source = first.Reply.Citations[0].Source!;
        Assert.Contains(source, followUp!.Reply.Text, StringComparison.Ordinal); // answered from the cited article's metadata
        Assert.Equal(first.Reply.Citations[0].ArticleId, followUp.Reply.Citations[0].ArticleId);
        Assert.NotEqual(followUp.Reply.Text, unrelated!.Reply.Text); // /help is not a conversation: without it, "it" is read afresh
    }
}
