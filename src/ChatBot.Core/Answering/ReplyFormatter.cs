using System.Globalization;
using System.Text;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Answering;

/// <summary>Plain-text rendering of a reply, for the command line; chat platforms have their own renderers.</summary>
public static class ReplyFormatter
{
    /// <summary><c>[n] Title — source, date (article id)</c>: what a reader needs to find the article.</summary>
    public static string SourceLine(Citation citation, Language language) =>
        $"[{citation.N}] {citation.Title} — {citation.Source ?? BotMessages.Get("source.unknown", language)}, {FormatDate(citation.Published, language)} ({citation.ArticleId})";

    public static string FormatDate(DateOnly? date, Language language) =>
        date?.ToString(language == Language.English ? "MMMM d, yyyy" : "d MMMM yyyy", CultureInfo.GetCultureInfo(language == Language.English ? "en-GB" : "fr-FR"))
        ?? BotMessages.Get("date.unknown", language);

    /// <param name="bold">How emphasis is shown (ANSI bold on a terminal); plain text without it.</param>
    public static string PlainText(ChatReply reply, Func<string, string>? bold = null)
    {
        var text = new StringBuilder();
        foreach (var note in reply.Notes)
            text.AppendLine(note);
        text.AppendLine(Emphasis.Render(reply.Text, bold ?? (s => s)));
        if (reply.Citations.Count > 0 && !reply.SourcesInText)
        {
            text.AppendLine().AppendLine(BotMessages.Get("sources", reply.Language));
            foreach (var citation in reply.Citations)
                text.AppendLine(SourceLine(citation, reply.Language));
        }
        return text.ToString().TrimEnd();
    }
}
