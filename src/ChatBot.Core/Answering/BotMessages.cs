using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Answering;

/// <summary>The bot's own phrases in French and English (<c>Resources/messages.tsv</c>).</summary>
public static class BotMessages
{
    private static readonly PhraseTable Phrases = new(EmbeddedData.Lines("messages.tsv"), "messages.tsv");

    public static string Get(string key, Language language, params object[] args) => Phrases.Get(key, language == Language.English, args);
}
