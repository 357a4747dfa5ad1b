using ChatBot.Core.Answering;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Conversation.Commands;

/// <summary>A command the bot offers on every platform, with its description in each language.</summary>
public sealed record BotCommandInfo(string Name, string French, string English, bool TakesArgument)
{
    public string Description(Language language) => language == Language.English ? English : French;
}

/// <summary>The command set, the same on Discord, Telegram and the console.</summary>
public static class BotCommands
{
    public const string Ask = "ask";
    public const string Summary = "summary";
    public const string Digest = "digest";
    public const string Sources = "sources";
    public const string Help = "help";

    public static IReadOnlyList<BotCommandInfo> All { get; } =
    [
        Info(Ask, takesArgument: true),
        Info(Summary, takesArgument: true),
        Info(Digest, takesArgument: false),
        Info(Sources, takesArgument: false),
        Info(Help, takesArgument: false),
    ];

    private static BotCommandInfo Info(string name, bool takesArgument) =>
        new(name, BotMessages.Get("command." + name, Language.French), BotMessages.Get("command." + name, Language.English), takesArgument);
}
