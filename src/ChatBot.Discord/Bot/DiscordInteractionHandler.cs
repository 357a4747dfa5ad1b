using System.Text.Json;
using System.Text.Json.Nodes;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Commands;
using ChatBot.Core.Text;
using ChatBot.Discord.Client.Rest;
using static ChatBot.Discord.Bot.DiscordMessageHandler;
using ChatBot.Core.Chat;

namespace ChatBot.Discord.Bot;

/// <summary>
/// Slash commands: acknowledged at once with a deferred response (type 5: "thinking…", private for /digest and /help),
/// then the answer replaces the placeholder, with follow-ups for the rest of a long reply.
/// </summary>
public sealed class DiscordInteractionHandler(CommandRouter router, DiscordRestClient rest, DiscordIdentity identity, Core.Controls.FeedbackService feedback)
{

    public static bool IsComponent(JsonElement interaction) =>
        interaction.TryGetProperty("type", out var type) && type.GetInt32() == InteractionType.MessageComponent;

    /// <summary>
    /// Answers a press on 👍/👎 at once (Discord's interaction token dies after 3 s): the thanks, seen only by the
    /// voter. Called on arrival, ahead of any queue or database work; the vote is recorded afterwards.
    /// </summary>
    public Task AcknowledgeComponentAsync(JsonElement interaction, CancellationToken cancellationToken)
    {
        var customId = interaction.TryGetProperty("data", out var data) ? Str(data, "custom_id") : null;
        var text = Core.Controls.FeedbackService.IsFeedback(customId) ? BotMessages.Get("feedback.thanks", LanguageOf(interaction)) : "—";
        return rest.RespondToInteractionAsync(Str(interaction, "id")!, Str(interaction, "token")!, new JsonObject
        {
            ["type"] = InteractionCallbackType.ChannelMessageWithSource,
            ["data"] = new JsonObject { ["content"] = text, ["flags"] = MessageFlags.Ephemeral, ["allowed_mentions"] = DiscordRestClient.NoMentions() },
        }, cancellationToken);
    }

    /// <summary>The vote of a press already acknowledged: one per user per answer, a second press changes it.</summary>
    public async Task RecordVoteAsync(JsonElement interaction, CancellationToken cancellationToken)
    {
        var data = interaction.GetProperty("data");
        var customId = Str(data, "custom_id");
        if (!Core.Controls.FeedbackService.IsFeedback(customId) || !interaction.TryGetProperty("message", out var message))
            return;
        var user = interaction.TryGetProperty("member", out var member) ? member.GetProperty("user") : interaction.GetProperty("user");
        var channel = Str(interaction, "channel_id")!;
        await feedback.VoteAsync(new ChatOrigin(Platform, channel, Str(user, "id")!), Str(message, "id")!, customId!, cancellationToken);
    }


    /// <summary>Sends the type-5 acknowledgement; called as soon as the interaction arrives, ahead of any queue.</summary>
    public Task AcknowledgeAsync(JsonElement interaction, CancellationToken cancellationToken)
    {
        var response = new JsonObject { ["type"] = InteractionCallbackType.DeferredChannelMessageWithSource };
        if (IsPrivate(Name(interaction)))
            response["data"] = new JsonObject { ["flags"] = MessageFlags.Ephemeral };
        return rest.RespondToInteractionAsync(Str(interaction, "id")!, Str(interaction, "token")!, response, cancellationToken);
    }

    public async Task HandleAsync(JsonElement interaction, Task acknowledged, CancellationToken cancellationToken)
    {
        if (!interaction.TryGetProperty("type", out var type) || type.GetInt32() != InteractionType.ApplicationCommand)
            return;
        await acknowledged;
        var user = interaction.TryGetProperty("member", out var member) ? member.GetProperty("user") : interaction.GetProperty("user");
        var channel = Str(interaction, "channel_id") ?? Str(user, "id")!;
        var argument = Argument(interaction);
        var origin = new ChatOrigin(Platform, channel, Str(user, "id")!) { GuildId = Str(interaction, "guild_id") };
        var context = new CommandContext(origin, DiscordReplyRenderer.ContentLimit, argument.Length > 0 ? null : LanguageOf(interaction));

        var reply = await router.HandleAsync(Name(interaction), argument, context, cancellationToken);
        // Not allowed here: the deferred placeholder must still be resolved, with nothing revealed.
        await DeliverAsync(interaction, reply is null ? [new JsonObject { ["content"] = "—" }] : DiscordReplyRenderer.Render(reply, feedbackButtons: Name(interaction) == BotCommands.Ask), cancellationToken);
    }

    /// <summary>The first part replaces the "thinking…" placeholder; the rest follow.</summary>
    public async Task DeliverAsync(JsonElement interaction, List<JsonObject> messages, CancellationToken cancellationToken)
    {
        var applicationId = Str(interaction, "application_id") ?? identity.ApplicationId!;
        var token = Str(interaction, "token")!;
        var flags = IsPrivate(Name(interaction)) ? MessageFlags.Ephemeral : 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (i == 0)
            {
                await rest.EditOriginalResponseAsync(applicationId, token, messages[i], cancellationToken);
                continue;
            }
            if (flags != 0)
                messages[i]["flags"] = flags;
            await rest.CreateFollowupAsync(applicationId, token, messages[i], cancellationToken);
        }
    }

    private static bool IsPrivate(string command) => command is BotCommands.Digest or BotCommands.Help;

    private static string Name(JsonElement interaction) =>
        interaction.TryGetProperty("data", out var data) ? Str(data, "name") ?? "" : "";

    private static string Argument(JsonElement interaction)
    {
        if (!interaction.TryGetProperty("data", out var data) || !data.TryGetProperty("options", out var options))
            return "";
        foreach (var option in options.EnumerateArray())
        {
            if (option.TryGetProperty("value", out var value))
                return value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }
        return "";
    }

    /// <summary>The user's Discord locale: English for <c>en-*</c>, French otherwise.</summary>
    private static Language LanguageOf(JsonElement interaction) =>
        (Str(interaction, "locale") ?? "fr").StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.French;
}
