using System.Text.RegularExpressions;

namespace ChatBot.Core.Answering.Chat;

/// <summary>
/// The core writes emphasis in replies as Markdown's <c>**…**</c> (the short answer, a source's name); each front end
/// renders it its own way: Discord keeps it, Telegram's HTML turns it into <c>&lt;b&gt;</c>, the operator console into
/// <c>&lt;strong&gt;</c>, the command line into plain text or ANSI bold. No literal <c>**</c> reaches a reader.
/// </summary>
public static partial class Emphasis
{
    [GeneratedRegex(@"\*\*(?<bold>[^*\n]+?)\*\*")]
    private static partial Regex Bold();

    /// <summary>The text as runs of plain and bold text, in order (an unpaired <c>**</c> stays as written).</summary>
    public static IEnumerable<(string Text, bool Bold)> Runs(string text)
    {
        var at = 0;
        foreach (Match m in Bold().Matches(text))
        {
            if (m.Index > at)
                yield return (text[at..m.Index], false);
            yield return (m.Groups["bold"].Value, true);
            at = m.Index + m.Length;
        }
        if (at < text.Length)
            yield return (text[at..], false);
    }

    /// <summary>The text with each bold run passed through <paramref name="bold"/> and plain runs through <paramref name="plain"/>.</summary>
    public static string Render(string text, Func<string, string> bold, Func<string, string>? plain = null) =>
        string.Concat(Runs(text).Select(r => r.Bold ? bold(plain is null ? r.Text : plain(r.Text)) : plain is null ? r.Text : plain(r.Text)));

    /// <summary>The text without emphasis markers.</summary>
    public static string Plain(string text) => Render(text, s => s);
}
