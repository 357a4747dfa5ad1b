using System.Collections.Frozen;
using System.Globalization;

namespace ChatBot.Core.Foundation.Text;

/// <summary>
/// Phrases in French and English from lines <c>key&lt;TAB&gt;French&lt;TAB&gt;English</c> (the bot's
/// <c>messages.tsv</c>, the console's phrases), filled in with <see cref="string.Format(IFormatProvider, string, object[])"/>.
/// </summary>
public sealed class PhraseTable(IEnumerable<string> lines, string source)
{
    private readonly FrozenDictionary<string, string[]> _phrases = lines
        .Select(l => l.TrimEnd('\r').Split('\t'))
        .Where(p => p.Length == 3)
        .ToFrozenDictionary(p => p[0], p => new[] { p[1], p[2] }, StringComparer.Ordinal);

    public string Get(string key, bool english, params object[] args)
    {
        var phrase = _phrases.TryGetValue(key, out var forms)
            ? forms[english ? 1 : 0]
            : throw new KeyNotFoundException($"{source} has no phrase '{key}'.");
        return args.Length == 0 ? phrase : string.Format(CultureInfo.InvariantCulture, phrase, args);
    }

    /// <summary>The phrase when there is one, else <paramref name="fallback"/>.</summary>
    public string GetOr(string key, bool english, string fallback) =>
        _phrases.TryGetValue(key, out var forms) ? forms[english ? 1 : 0] : fallback;
}
