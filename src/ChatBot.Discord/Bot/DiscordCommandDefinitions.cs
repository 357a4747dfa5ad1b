using System.Text.Json.Nodes;
using ChatBot.Core.Answering.Commands;

namespace ChatBot.Discord.Bot;

/// <summary>The slash commands as Discord's application-command JSON: French descriptions, English localisations.</summary>
public static class DiscordCommandDefinitions
{

    public static JsonArray Build()
    {
        var commands = new JsonArray();
        foreach (var command in BotCommands.All)
        {
            var json = new JsonObject
            {
                ["name"] = command.Name,
                ["type"] = ApplicationCommandType.ChatInput,
                ["description"] = command.French,
                ["description_localizations"] = new JsonObject { ["en-US"] = command.English, ["en-GB"] = command.English },
            };
            var option = command.Name switch
            {
                BotCommands.Ask => Option("question", ApplicationCommandType.StringOption, "Votre question", "Your question", required: true),
                BotCommands.Summary => Option("sujet", ApplicationCommandType.StringOption, "Identifiant, mots du titre ou sujet", "Article id, title words or topic", required: true),
                BotCommands.Sources => Option("page", ApplicationCommandType.IntegerOption, "Numéro de page", "Page number", required: false),
                _ => null,
            };
            if (option is not null)
                json["options"] = new JsonArray(option);
            commands.Add(json);
        }
        // Admin commands: shown only to the server's administrators; the bot's own admin list still decides.
        foreach (var (name, french, english) in new[]
        {
            (CommandRouter.Reindex, "Réindexer le corpus (admin)", "Reindex the corpus (admin)"),
            (CommandRouter.Stats, "Statistiques du bot (admin)", "Bot statistics (admin)"),
        })
        {
            commands.Add(new JsonObject
            {
                ["name"] = name,
                ["type"] = ApplicationCommandType.ChatInput,
                ["description"] = french,
                ["description_localizations"] = new JsonObject { ["en-US"] = english, ["en-GB"] = english },
                ["default_member_permissions"] = "0",
            });
        }
        return commands;
    }

    private static JsonObject Option(string name, int type, string french, string english, bool required) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["description"] = french,
        ["description_localizations"] = new JsonObject { ["en-US"] = english, ["en-GB"] = english },
        ["required"] = required,
    };
}
