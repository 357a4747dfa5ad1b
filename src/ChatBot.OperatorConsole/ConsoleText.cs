using ChatBot.Core.Foundation.Text;
using Microsoft.AspNetCore.Http;

namespace ChatBot.OperatorConsole;

public enum ConsoleLanguage { French, English }

/// <summary>The console's phrases in French and English (<c>Resources/console-messages.tsv</c>), chosen from the browser's languages.</summary>
public static class ConsoleText
{
    private static readonly Lazy<PhraseTable> Phrases = new(() => new PhraseTable(Resource("console-messages.tsv").Split('\n').Where(l => !l.StartsWith('#')), "console-messages.tsv"));

    public static string Get(string key, ConsoleLanguage language, params object[] args) => Phrases.Value.Get(key, language == ConsoleLanguage.English, args);

    /// <summary>The phrase for <paramref name="key"/> when there is one, else <paramref name="fallback"/> (labels that come from elsewhere).</summary>
    public static string GetOr(string key, ConsoleLanguage language, string fallback) => Phrases.Value.GetOr(key, language == ConsoleLanguage.English, fallback);

    /// <summary>The first of French or English in the browser's <c>Accept-Language</c>, by preference; French when it names neither.</summary>
    public static ConsoleLanguage Of(HttpRequest request)
    {
        var ranked = request.GetTypedHeaders().AcceptLanguage
            .Where(l => l.Quality is not 0)
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value ?? "");
        foreach (var tag in ranked)
        {
            if (tag.StartsWith("fr", StringComparison.OrdinalIgnoreCase))
                return ConsoleLanguage.French;
            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
                return ConsoleLanguage.English;
        }
        return ConsoleLanguage.French;
    }

    internal static string Resource(string name)
    {
        using var stream = typeof(ConsoleText).Assembly.GetManifestResourceStream("ChatBot.OperatorConsole." + name)
            ?? throw new InvalidOperationException($"The console resource {name} is missing from the build.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
