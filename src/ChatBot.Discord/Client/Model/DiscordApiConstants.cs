namespace ChatBot.Discord.Client.Model;

/// <summary>Discord's interaction types (the <c>type</c> of an INTERACTION_CREATE).</summary>
public static class InteractionType
{
    public const int Ping = 1;
    public const int ApplicationCommand = 2;
    public const int MessageComponent = 3;
}

/// <summary>How the bot answers an interaction (the <c>type</c> of its callback).</summary>
public static class InteractionCallbackType
{
    /// <summary>A message now (the 👍/👎 thanks).</summary>
    public const int ChannelMessageWithSource = 4;

    /// <summary>"Thinking…" now, the message later through the interaction's webhook.</summary>
    public const int DeferredChannelMessageWithSource = 5;
}

/// <summary>Message flags.</summary>
public static class MessageFlags
{
    /// <summary>Only the user who asked sees the message.</summary>
    public const int Ephemeral = 64;
}

/// <summary>Message component types and the button style the bot uses.</summary>
public static class ComponentType
{
    public const int ActionRow = 1;
    public const int Button = 2;

    /// <summary>Button style 2 (grey).</summary>
    public const int SecondaryStyle = 2;
}

/// <summary>Application command types and option types.</summary>
public static class ApplicationCommandType
{
    /// <summary>A slash command.</summary>
    public const int ChatInput = 1;

    public const int StringOption = 3;
    public const int IntegerOption = 4;
}

/// <summary>Channel types the bot tells apart (the <c>type</c> of a channel).</summary>
public static class ChannelType
{
    public const int GuildText = 0;
    public const int GuildAnnouncement = 5;
}
