using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Commands;
using ChatBot.Core.Foundation.Text;
using ChatBot.Discord.Client.Model;
using ChatBot.Discord.Client.Rest;
using static ChatBot.Discord.Bot.DiscordMessageHandler;

namespace ChatBot.Discord.Bot;

/// <summary>
/// Slash commands: acknowledged at once with a deferred response (type 5: "thinking…", private for /digest and /help),
/// then the answer replaces the placeholder, with follow-ups for the rest of a long reply.
/// </summary>
public sealed class DiscordInteractionHandler(CommandRouter router, DiscordRestClient rest, DiscordIdentity identity, ChatBot.Core.Conversation.Controls.FeedbackService feedback)
{
    /// <summary>
    /// Answers a press on 👍/👎 at once (Discord's interaction token dies after 3 s): the thanks, seen only by the
    /// voter. Called on arrival, ahead of any queue or database work; the vote is recorded afterwards.
    /// </summary>
    public Task AcknowledgeComponentAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        var text = Core.Conversation.Controls.FeedbackService.IsFeedback(interaction.Data?.CustomId) ? BotMessages.Get("feedback.thanks", LanguageOf(interaction)) : "—";
        return rest.RespondToInteractionAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource)
        {
            Data = new MessagePayload { Content = text, Flags = MessageFlags.Ephemeral, AllowedMentions = AllowedMentions.None },
        }, cancellationToken);
    }

    /// <summary>The vote of a press already acknowledged: one per user per answer, a second press changes it.</summary>
    public async Task RecordVoteAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        var customId = interaction.Data?.CustomId;
        if (!Core.Conversation.Controls.FeedbackService.IsFeedback(customId) || interaction.Message is not { } message || interaction.Invoker is not { } user)
            return;
        await feedback.VoteAsync(new ChatOrigin(Platform, interaction.ChannelId ?? "", user.Id), message.Id, customId!, cancellationToken);
    }

    /// <summary>Sends the type-5 acknowledgement; called as soon as the interaction arrives, ahead of any queue.</summary>
    public Task AcknowledgeAsync(DiscordInteraction interaction, CancellationToken cancellationToken) =>
        rest.RespondToInteractionAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource)
        {
            Data = IsPrivate(Name(interaction)) ? new MessagePayload { Flags = MessageFlags.Ephemeral } : null,
        }, cancellationToken);

    /// <summary>
    /// Admission of a slash command as it arrives (<see cref="CommandRouter.Admit"/>): true when it may be queued
    /// (its quota taken now); otherwise it is answered at once, seen only by its invoker, with the wait (Discord wants an
    /// answer to every command, so one already told is told again, privately) or a dash where it is not allowed.
    /// </summary>
    public async Task<bool> AdmitAsync(DiscordInteraction interaction, CancellationToken cancellationToken)
    {
        if (interaction.Type != InteractionType.ApplicationCommand || interaction.Invoker is not { } user)
            return true;
        var (argument, origin, language) = Read(interaction, user);
        var admission = router.Admit(Name(interaction), argument, origin, language);
        if (admission.Allowed)
            return true;
        var text = admission.Refusal?.Text ?? "—";
        await rest.RespondToInteractionAsync(interaction.Id, interaction.Token, new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource)
        {
            Data = new MessagePayload { Content = text, Flags = MessageFlags.Ephemeral, AllowedMentions = AllowedMentions.None },
        }, cancellationToken);
        return false;
    }

    private static (string Argument, ChatOrigin Origin, Language? Language) Read(DiscordInteraction interaction, DiscordUser user)
    {
        var argument = interaction.Data?.Options.Select(o => o.Text).FirstOrDefault(v => v is not null) ?? "";
        var origin = new ChatOrigin(Platform, interaction.ChannelId ?? user.Id, user.Id) { GuildId = interaction.GuildId };
        return (argument, origin, argument.Length > 0 ? null : LanguageOf(interaction));
    }

    /// <param name="admitted">Its quota was taken on arrival (<see cref="AdmitAsync"/>).</param>
    public async Task HandleAsync(DiscordInteraction interaction, Task acknowledged, CancellationToken cancellationToken, bool admitted = false)
    {
        if (interaction.Type != InteractionType.ApplicationCommand || interaction.Invoker is not { } user)
            return;
        await acknowledged;
        var (argument, origin, language) = Read(interaction, user);
        var context = new CommandContext(origin, DiscordReplyRenderer.ContentLimit, language) { Admitted = admitted };

        var reply = await router.HandleAsync(Name(interaction), argument, context, cancellationToken);
        // Not allowed here: the deferred placeholder must still be resolved, with nothing revealed.
        await DeliverAsync(interaction, reply is null ? [new MessagePayload { Content = "—" }] : DiscordReplyRenderer.Render(reply, feedbackButtons: Name(interaction) == BotCommands.Ask), cancellationToken);
    }

    /// <summary>The first part replaces the "thinking…" placeholder; the rest follow.</summary>
    public async Task DeliverAsync(DiscordInteraction interaction, IReadOnlyList<MessagePayload> messages, CancellationToken cancellationToken)
    {
        var applicationId = interaction.ApplicationId ?? identity.ApplicationId!;
        var flags = IsPrivate(Name(interaction)) ? MessageFlags.Ephemeral : (int?)null;
        for (var i = 0; i < messages.Count; i++)
        {
            if (i == 0)
                await rest.EditOriginalResponseAsync(applicationId, interaction.Token, messages[i], cancellationToken);
            else
                await rest.CreateFollowupAsync(applicationId, interaction.Token, messages[i] with { Flags = flags ?? messages[i].Flags }, cancellationToken);
        }
    }

    private static bool IsPrivate(string command) => command is BotCommands.Digest or BotCommands.Help;

    private static string Name(DiscordInteraction interaction) => interaction.Data?.Name ?? "";

    /// <summary>The user's Discord locale: English for <c>en-*</c>, French otherwise.</summary>
    private static Language LanguageOf(DiscordInteraction interaction) =>
        (interaction.Locale ?? "fr").StartsWith("en", StringComparison.Ordinal) ? Language.English : Language.French;
}
