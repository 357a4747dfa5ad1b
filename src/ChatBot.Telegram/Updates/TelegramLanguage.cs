using ChatBot.Core.Foundation.Text;
using Telegram.Bot.Types;

namespace ChatBot.Telegram.Updates;

/// <summary>The language of a Telegram user's app: English for <c>en*</c>, French otherwise (the corpus's language).</summary>
public static class TelegramLanguage
{
    public static Language Of(User? user) =>
        user?.LanguageCode?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true ? Language.English : Language.French;
}
