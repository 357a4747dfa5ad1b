using System.Collections.Frozen;
using System.Globalization;
using ChatBot.Core.Text;

namespace ChatBot.Core.Answering;

/// <summary>The bot's own phrases in French and English (<c>Resources/messages.tsv</c>).</summary>
public static class BotMessages
{
    private static readonly FrozenDictionary<string, string[]> Phrases = EmbeddedData.Lines("messages.tsv")
        .Select(l => l.Split('\t'))
        .Where(p => p.Length == 3)
        .ToFrozenDictionary(p => p[0], p => new[] { p[1], p[2] });

    public static string Get(string key, Language language, params object[] args)
    {
        var phrase = Phrases.TryGetValue(key, out var forms)
            ? forms[language == Language.English ? 1 : 0]
            : throw new KeyNotFoundException($"messages.tsv has no phrase '{key}'.");
        return args.Length == 0 ? phrase : string.Format(CultureInfo.InvariantCulture, phrase, args);
    }
}
