using System.Text.RegularExpressions;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Discord.Client.Model;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Options;

namespace ChatBot.Discord.Bot;

/// <summary>
/// Plain messages: answered in DMs, when the bot is mentioned, in the configured answer channels, and as replies to
/// the bot's own answers (which continue that conversation). Bots, webhooks and @everyone pings are ignored.
/// </summary>
public sealed partial class DiscordMessageHandler(
    ConversationRouter conversations,
    DiscordRestClient rest,
    MessageSender sender,
    DiscordIdentity identity,
    DiscordChannelTypes threads,
    IOptions<DiscordOptions> options,
    TimeProvider time)
{
    public const string Platform = "discord";
    private static readonly TimeSpan TypingRenewal = TimeSpan.FromSeconds(8);

    [GeneratedRegex(@"<@!?(\d+)>")]
    private static partial Regex UserMention();

    /// <summary>
    /// Whether the message is for the bot: a DM, a mention, a reply to one of its answers, or any message in an
    /// answer channel; never a bot's, a webhook's or an @everyone ping. Decided on arrival, before anything is stored.
    /// </summary>
    public bool IsAddressed(DiscordMessage message)
    {
        if (message.Author is not { } author || author.Bot || message.WebhookId is not null || author.Id == identity.UserId)
            return false;
        var mentioned = message.Mentions.Any(m => m.Id == identity.UserId);
        var repliesToBot = RepliesToBot(message);
        var inAnswerChannel = options.Value.AnswerChannels.Contains(message.ChannelId);
        if (!message.IsDirect && !mentioned && !repliesToBot && !inAnswerChannel)
            return false;
        return !message.MentionEveryone || mentioned || repliesToBot; // an @everyone ping is not addressed to the bot
    }

    private bool RepliesToBot(DiscordMessage message) => message.ReferencedMessage?.Author?.Id is { } id && id == identity.UserId;

    /// <summary>The command an addressed message makes: its question (the bot's mention removed), or help when it holds none.</summary>
    public (string Command, string Question, ChatOrigin Origin) Read(DiscordMessage message)
    {
        var question = UserMention().Replace(message.Content ?? "", m => m.Groups[1].Value == identity.UserId ? "" : m.Value).Trim();
        var command = question.Length == 0 ? BotCommands.Help : BotCommands.Ask;
        return (command, question, new ChatOrigin(Platform, message.ChannelId, message.Author!.Id) { GuildId = message.GuildId });
    }

    /// <summary>Sends a reply that is no answer (the quota notice), under the message it refuses.</summary>
    public Task SendAsync(DiscordMessage message, ChatReply reply, CancellationToken cancellationToken) =>
        sender.SendAsync(message.ChannelId, message.Id, DiscordReplyRenderer.Render(reply, feedbackButtons: false), cancellationToken);

    /// <param name="admitted">The quota was taken when the message arrived (<see cref="CommandRouter.Admit"/>).</param>
    public async Task HandleAsync(DiscordMessage message, CancellationToken cancellationToken, bool admitted = false)
    {
        if (!IsAddressed(message))
            return;
        var channelId = message.ChannelId;
        var repliesToBot = RepliesToBot(message);
        var (command, question, origin) = Read(message);

        var replyChannel = channelId;
        var reference = true;
        if (options.Value.ReplyInThread && !message.IsDirect && !repliesToBot && await threads.CanStartThreadInAsync(channelId, cancellationToken))
        {
            try
            {
                replyChannel = (await rest.StartThreadAsync(channelId, message.Id, ThreadName(question), cancellationToken)).Id;
                reference = false;
            }
            catch (DiscordApiException ex) when (ex.Status == System.Net.HttpStatusCode.BadRequest)
            {
                // Not a channel where a thread can start after all (its type changed, or a permission): answer in place.
            }
        }

        ConversationReply? reply;
        using (var typing = new CancellationTokenSource())
        {
            var typingLoop = TypingAsync(replyChannel, typing.Token);
            try
            {
                reply = await conversations.HandleAsync(command, question, new CommandContext(origin, DiscordReplyRenderer.ContentLimit) { Admitted = admitted }, repliesToBot ? message.ReferencedMessage!.Id : null, cancellationToken);
            }
            finally
            {
                await typing.CancelAsync();
                await typingLoop;
            }
        }

        if (reply is null)
            return; // not allowed here: say nothing
        var sent = await sender.SendAsync(replyChannel, reference ? message.Id : null, DiscordReplyRenderer.Render(reply.Reply, feedbackButtons: reply.IsAnswer), cancellationToken);
        await reply.RememberAsync(replyChannel, sent, cancellationToken);
    }

    /// <summary>
    /// "Bot is typing…" lasts 10 s: renewed while the answer is prepared. The first one is not cancelled by a quick
    /// answer (the reply waits for it, so "typing…" never shows after the answer). Failures here never matter.
    /// </summary>
    private async Task TypingAsync(string channelId, CancellationToken stop)
    {
        var first = true;
        while (!stop.IsCancellationRequested || first)
        {
            try
            {
                await rest.TriggerTypingAsync(channelId, first ? CancellationToken.None : stop);
                first = false;
                await Task.Delay(TypingRenewal, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is DiscordApiException or HttpRequestException)
            {
                return;
            }
        }
    }

    private static string ThreadName(string question)
    {
        var name = question.Length == 0 ? "Question" : question.ReplaceLineEndings(" ");
        return name.Length <= 90 ? name : name[..89] + "…";
    }
}
