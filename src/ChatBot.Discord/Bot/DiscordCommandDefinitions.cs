using ChatBot.Core.Conversation.Commands;
using ChatBot.Discord.Client.Model;

namespace ChatBot.Discord.Bot;

/// <summary>The slash commands as Discord's application commands: French descriptions, English localisations.</summary>
public static class DiscordCommandDefinitions
{
    public static IReadOnlyList<ApplicationCommand> Build()
    {
        var commands = new List<ApplicationCommand>();
        foreach (var command in BotCommands.All)
        {
            var option = command.Name switch
            {
                BotCommands.Ask => Option("question", ApplicationCommandType.StringOption, "Votre question", "Your question", required: true),
                BotCommands.Summary => Option("sujet", ApplicationCommandType.StringOption, "Identifiant, mots du titre ou sujet", "Article id, title words or topic", required: true),
                BotCommands.Sources => Option("page", ApplicationCommandType.IntegerOption, "Numéro de page", "Page number", required: false),
                _ => null,
            };
            commands.Add(new ApplicationCommand
            {
                Name = command.Name,
                Description = command.French,
                DescriptionLocalizations = English(command.English),
                Options = option is null ? null : [option],
            });
        }
        // Admin commands: shown only to the server's administrators; the bot's own admin list still decides.
        foreach (var (name, french, english, option) in new[]
        {
            (CommandRouter.Reindex, "Réindexer le corpus (admin)", "Reindex the corpus (admin)", null),
            (CommandRouter.Stats, "Statistiques du bot (admin)", "Bot statistics (admin)", null),
            (CommandRouter.Add, "Ajouter un article depuis son adresse (admin)", "Add an article from its address (admin)",
                Option("url", ApplicationCommandType.StringOption, "Adresse https://… de l'article", "https://… address of the article", required: true)),
        })
        {
            commands.Add(new ApplicationCommand
            {
                Name = name,
                Description = french,
                DescriptionLocalizations = English(english),
                DefaultMemberPermissions = "0",
                Options = option is null ? null : [option],
            });
        }
        return commands;
    }

    private static ApplicationCommandOption Option(string name, int type, string french, string english, bool required) => new()
    {
        Name = name,
        Type = type,
        Description = french,
        DescriptionLocalizations = English(english),
        Required = required,
    };

    private static Dictionary<string, string> English(string text) => new(StringComparer.Ordinal) { ["en-US"] = text, ["en-GB"] = text };
}
