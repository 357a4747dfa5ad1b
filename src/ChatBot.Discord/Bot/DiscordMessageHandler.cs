using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Commands;
using ChatBot.Core.Conversations;
using ChatBot.Discord.Client.Rest;
using Microsoft.Extensions.Options;
using ChatBot.Core.Chat;

namespace ChatBot.Discord.Bot;

/// <summary>
/// Plain messages: answered in DMs, when the bot is mentioned, in the configured answer channels, and as replies to
/// the bot's own answers (which continue that conversation). Bots, webhooks and @everyone pings are ignored.
/// </summary>
public sealed partial class DiscordMessageHandler(
    ConversationRouter conversations,
    DiscordRestClient rest,
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
    public bool IsAddressed(JsonElement message)
    {
        if (!message.TryGetProperty("author", out var author) || author.ValueKind != JsonValueKind.Object)
            return false;
        if (Bool(author, "bot") || message.TryGetProperty("webhook_id", out _) || Str(author, "id") == identity.UserId)
            return false;
        var isDm = !message.TryGetProperty("guild_id", out var guild) || guild.ValueKind == JsonValueKind.Null;
        var mentioned = message.TryGetProperty("mentions", out var mentions) && mentions.ValueKind == JsonValueKind.Array && mentions.EnumerateArray().Any(m => Str(m, "id") == identity.UserId);
        var repliesToBot = RepliedTo(message) is { } r && r.TryGetProperty("author", out var a) && Str(a, "id") == identity.UserId;
        var inAnswerChannel = options.Value.AnswerChannels.Contains(Str(message, "channel_id") ?? "");
        if (!isDm && !mentioned && !repliesToBot && !inAnswerChannel)
            return false;
        return !Bool(message, "mention_everyone") || mentioned || repliesToBot; // an @everyone ping is not addressed to the bot
    }

    private static JsonElement? RepliedTo(JsonElement message) =>
        message.TryGetProperty("referenced_message", out var referenced) && referenced.ValueKind == JsonValueKind.Object ? referenced : null;

    public async Task HandleAsync(JsonElement message, CancellationToken cancellationToken)
    {
        if (!IsAddressed(message))
            return;
        var author = message.GetProperty("author");
        var channelId = Str(message, "channel_id")!;
        var messageId = Str(message, "id")!;
        var isDm = !message.TryGetProperty("guild_id", out var guild) || guild.ValueKind == JsonValueKind.Null;
        var repliedTo = RepliedTo(message);
        var repliesToBot = repliedTo is { } r && Str(r.GetProperty("author"), "id") == identity.UserId;

        var question = UserMention().Replace(Str(message, "content") ?? "", m => m.Groups[1].Value == identity.UserId ? "" : m.Value).Trim();
        var command = question.Length == 0 ? BotCommands.Help : BotCommands.Ask;
        var origin = new ChatOrigin(Platform, channelId, Str(author, "id")!) { GuildId = isDm ? null : guild.GetString() };

        var replyChannel = channelId;
        var reference = true;
        if (options.Value.ReplyInThread && !isDm && !repliesToBot && await threads.CanStartThreadInAsync(channelId, cancellationToken))
        {
            try
            {
                var thread = await rest.StartThreadAsync(channelId, messageId, ThreadName(question), cancellationToken);
                replyChannel = Str(thread, "id")!;
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
                reply = await conversations.HandleAsync(command, question, new CommandContext(origin, DiscordReplyRenderer.ContentLimit), repliesToBot ? Str(repliedTo!.Value, "id") : null, cancellationToken);
            }
            finally
            {
                await typing.CancelAsync();
                await typingLoop;
            }
        }

        if (reply is null)
            return; // not allowed here: say nothing
        var sent = await SendAsync(replyChannel, reference ? messageId : null, DiscordReplyRenderer.Render(reply.Reply, feedbackButtons: reply.IsAnswer), cancellationToken);
        await reply.RememberAsync(replyChannel, sent, cancellationToken);
    }

    public async Task<List<string>> SendAsync(string channelId, string? replyTo, List<JsonObject> messages, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var message in messages)
        {
            if (ids.Count == 0 && replyTo is not null)
                message["message_reference"] = new JsonObject { ["message_id"] = replyTo, ["fail_if_not_exists"] = false };
            var created = await rest.CreateMessageAsync(channelId, message, cancellationToken);
            ids.Add(Str(created, "id")!);
        }
        return ids;
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

    internal static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static bool Bool(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
}
