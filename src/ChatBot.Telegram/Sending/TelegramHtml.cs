using System.Text;
using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Telegram.Sending;

/// <summary>
/// Renders a core reply as Telegram HTML: every corpus- or user-derived string escaped, the answer, then a compact
/// sources block (<c>[1] &lt;a href&gt;&lt;b&gt;Title&lt;/b&gt;&lt;/a&gt; — source, date</c>, the title a link when the article has an address), cut into messages under the limit on paragraph
/// boundaries (then lines, then spaces), never inside a tag or an entity.
/// </summary>
public static class TelegramHtml
{
    public const int MessageLimit = 4096;

    private sealed record Run(string Text, bool Bold = false, bool Italic = false, string? Href = null);

    public static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Attribute(string value) => Escape(value).Replace("\"", "&quot;", StringComparison.Ordinal);

    public static IReadOnlyList<string> Render(ChatReply reply, int limit = MessageLimit)
    {
        var blocks = new List<List<Run>>();
        foreach (var note in reply.Notes)
            blocks.Add([new Run(note, Italic: true)]);
        // The core's **emphasis** becomes <b>: Telegram is sent HTML, where asterisks would show as they are.
        foreach (var paragraph in reply.Text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            blocks.Add(Emphasis.Runs(paragraph).Select(r => new Run(r.Text, Bold: r.Bold)).ToList());
        if (reply.Citations.Count > 0 && !reply.SourcesInText)
        {
            var sources = new List<Run> { new(BotMessages.Get("sources", reply.Language), Bold: true) };
            foreach (var c in reply.Citations)
            {
                sources.Add(new Run($"\n[{c.N}] "));
                // The title links to the article when it has an address (a page fetched from the web, a JSONL url).
                sources.Add(new Run(c.Title, Bold: true, Href: c.Url is { Length: > 0 } url && Uri.TryCreate(url, UriKind.Absolute, out var link) && link.Scheme is "http" or "https" ? link.AbsoluteUri : null));
                sources.Add(new Run($" — {c.Source ?? BotMessages.Get("source.unknown", reply.Language)}, {ReplyFormatter.FormatDate(c.Published, reply.Language)}"));
            }
            blocks.Add(sources);
        }
        return Pack(blocks, limit);
    }

    private static List<string> Pack(List<List<Run>> blocks, int limit)
    {
        var pieces = blocks.SelectMany(b => Fit(b, limit)).Select(Html).ToList();
        return pieces.Count == 0 ? [] : MessageSplitter.Pack(pieces, limit);
    }

    /// <summary>A block too long for one message is cut between lines, else between words, else anywhere; each piece closes its own tags.</summary>
    private static IEnumerable<List<Run>> Fit(List<Run> block, int limit)
    {
        if (Html(block).Length <= limit)
        {
            yield return block;
            yield break;
        }
        var piece = new List<Run>();
        foreach (var run in block)
        {
            var rest = run.Text;
            while (rest.Length > 0)
            {
                var room = limit - Html(piece).Length - 7 - (run.Href is null ? 0 : Attribute(run.Href).Length + 15); // the tags a run may add
                var cut = CutPoint(rest, room);
                if (cut == 0)
                {
                    if (piece.Count == 0)
                    {
                        cut = Math.Min(rest.Length, Math.Max(1, room)); // nothing fits even alone: cut hard
                        if (cut > 1 && cut < rest.Length && char.IsHighSurrogate(rest[cut - 1]))
                            cut--; // but never through an emoji
                    }
                    else
                    {
                        yield return piece;
                        piece = [];
                        continue;
                    }
                }
                piece.Add(run with { Text = rest[..cut] });
                rest = rest[cut..];
                if (rest.Length > 0)
                {
                    yield return piece;
                    piece = [];
                    rest = rest.TrimStart('\n', ' ');
                }
            }
        }
        if (piece.Count > 0)
            yield return piece;
    }

    /// <summary>How many characters of <paramref name="text"/> fit in <paramref name="room"/> once escaped, ending at a line or word break if possible.</summary>
    private static int CutPoint(string text, int room)
    {
        if (room <= 0)
            return 0;
        if (Escape(text).Length <= room)
            return text.Length;
        var fits = 0;
        var escaped = 0;
        while (fits < text.Length)
        {
            escaped += text[fits] switch { '&' => 5, '<' or '>' => 4, _ => 1 };
            if (escaped > room)
                break;
            fits++;
        }
        return MessageSplitter.BoundaryBefore(text, fits);
    }

    private static string Html(List<Run> runs)
    {
        var html = new StringBuilder();
        foreach (var run in runs)
        {
            var text = Escape(run.Text);
            var styled = run.Bold ? $"<b>{text}</b>" : run.Italic ? $"<i>{text}</i>" : text;
            html.Append(run.Href is null ? styled : $"<a href=\"{Attribute(run.Href)}\">{styled}</a>");
        }
        return html.ToString();
    }
}
