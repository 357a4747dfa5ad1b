using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// What a chat message looks like once what is not language is gone: markup (and the content of script and style
/// elements), platform mentions (<c>&lt;@123&gt;</c>, <c>@CorpusBot</c>), links, emoji and formatting characters.
/// Words are kept where they stood; nothing is executed or interpreted.
/// </summary>
public static partial class ChatText
{
    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?(</\1\s*>|$)", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"</?[a-zA-Z][^<>]{0,200}>|<!--.*?-->", RegexOptions.Singleline)]
    private static partial Regex Tag();

    [GeneratedRegex(@"<(@[!&]?|#|a?:\w+:)\d+>")]
    private static partial Regex DiscordMention();

    [GeneratedRegex(@"(?<!\w)@\w+")]
    private static partial Regex AtMention();

    [GeneratedRegex(@"\b(?:https?://|www\.)\S+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"&(?:amp|lt|gt|quot|apos|nbsp|#\d+|#x[0-9a-fA-F]+);")]
    private static partial Regex Entity();

    [GeneratedRegex(@"[*_~`|>#]+")]
    private static partial Regex Formatting();

    public static string Clean(string message)
    {
        var text = ScriptOrStyle().Replace(message, " ");
        text = DiscordMention().Replace(text, " ");
        text = Tag().Replace(text, " ");
        text = Url().Replace(text, " ");
        text = AtMention().Replace(text, " ");
        text = Entity().Replace(text, m => System.Net.WebUtility.HtmlDecode(m.Value));
        text = Formatting().Replace(text, " ");
        return Collapse(WithoutSymbols(text));
    }

    /// <summary>Emoji, pictographs and other symbols are dropped; letters, digits and punctuation stay.</summary>
    private static string WithoutSymbols(string text)
    {
        var builder = new StringBuilder(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            var category = CharUnicodeInfo.GetUnicodeCategory(element, 0);
            if (category is UnicodeCategory.OtherSymbol or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.Format
                || element.Length > 1 && char.IsSurrogatePair(element, 0) && !char.IsLetterOrDigit(element, 0))
            {
                builder.Append(' ');
                continue;
            }
            builder.Append(element);
        }
        return builder.ToString();
    }

    private static string Collapse(string text) => Foundation.Text.TextFolding.CollapseWhitespace(text);
}
