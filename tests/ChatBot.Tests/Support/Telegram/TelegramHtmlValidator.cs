using System.Net;
using System.Text.RegularExpressions;

namespace ChatBot.Tests.Support.Telegram;

/// <summary>
/// Parses text the way the Bot API does for <c>parse_mode=HTML</c>: only its tags, properly nested; every other
/// <c>&lt;</c>, <c>&gt;</c>, <c>&amp;</c> must be an entity. Returns the visible text, or an error like Telegram's.
/// </summary>
public static partial class TelegramHtmlValidator
{
    private static readonly HashSet<string> Tags = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "tg-spoiler", "blockquote", "span", "tg-emoji"];

    [GeneratedRegex(@"\G&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")]
    private static partial Regex Entity();

    [GeneratedRegex(@"\G<(/?)([a-z-]+)(\s[^<>]*)?>")]
    private static partial Regex Tag();

    public static (string? Visible, string? Error) Parse(string html)
    {
        var visible = new System.Text.StringBuilder();
        var open = new Stack<string>();
        var i = 0;
        while (i < html.Length)
        {
            switch (html[i])
            {
                case '<':
                    var tag = Tag().Match(html, i);
                    if (!tag.Success || !Tags.Contains(tag.Groups[2].Value))
                        return (null, $"Bad Request: can't parse entities: Unsupported start tag at byte offset {i}");
                    if (tag.Groups[1].Value == "/")
                    {
                        if (open.Count == 0 || open.Pop() != tag.Groups[2].Value)
                            return (null, $"Bad Request: can't parse entities: Unexpected end tag at byte offset {i}");
                    }
                    else
                    {
                        open.Push(tag.Groups[2].Value);
                    }
                    i += tag.Length;
                    break;
                case '&':
                    var entity = Entity().Match(html, i);
                    if (!entity.Success)
                        return (null, $"Bad Request: can't parse entities: Unsupported entity at byte offset {i}");
                    visible.Append(WebUtility.HtmlDecode(entity.Value));
                    i += entity.Length;
                    break;
                case '>':
                    return (null, $"Bad Request: can't parse entities: Unexpected '>' at byte offset {i}");
                default:
                    visible.Append(html[i]);
                    i++;
                    break;
            }
        }
        return open.Count > 0 ? (null, "Bad Request: can't parse entities: Can't find end tag corresponding to start tag " + open.Peek()) : (visible.ToString(), null);
    }
}
