using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ChatBot.OperatorConsole;

public enum ConsoleLanguage { French, English }

/// <summary>The console's phrases in French and English (<c>Resources/console-messages.tsv</c>), chosen from the browser's languages.</summary>
public static class ConsoleText
{
    private static readonly Lazy<Dictionary<string, string[]>> Phrases = new(Load);

    public static string Get(string key, ConsoleLanguage language, params object[] args)
    {
        var phrase = Phrases.Value.TryGetValue(key, out var forms)
            ? forms[language == ConsoleLanguage.English ? 1 : 0]
            : throw new KeyNotFoundException($"console-messages.tsv has no phrase '{key}'.");
        return args.Length == 0 ? phrase : string.Format(CultureInfo.InvariantCulture, phrase, args);
    }

    /// <summary>The phrase for <paramref name="key"/> when there is one, else <paramref name="fallback"/> (labels that come from elsewhere).</summary>
    public static string GetOr(string key, ConsoleLanguage language, string fallback) =>
        Phrases.Value.TryGetValue(key, out var forms) ? forms[language == ConsoleLanguage.English ? 1 : 0] : fallback;

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

    private static Dictionary<string, string[]> Load()
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var line in Resource("console-messages.tsv").Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var parts = line.TrimEnd('\r').Split('\t');
            if (parts.Length == 3)
                result[parts[0]] = [parts[1], parts[2]];
        }
        return result;
    }
}
