using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ChatBot.OperatorConsole.Pages;

/// <summary>HTML building blocks: every value goes through <see cref="E"/>, so markup in titles or questions is shown, never run.</summary>
internal static class Html
{
    /// <summary>Encodes markup characters (&lt; &gt; &amp; quotes) and leaves letters of every script as they are.</summary>
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string E(string? text) => Encoder.Encode(text ?? "");

    public static string T(ConsoleLanguage language, string key, params object[] args) => E(ConsoleText.Get(key, language, args));

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "–";

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    public static string Csrf(ConsoleSession session) => $"<input type=\"hidden\" name=\"csrf\" value=\"{E(session.Csrf)}\">";

    public static readonly (string Path, string Key)[] Navigation =
    [
        ("/", "nav.health"), ("/questions", "nav.questions"), ("/gaps", "nav.gaps"), ("/feedback", "nav.feedback"), ("/articles", "nav.articles"),
    ];

    public static string Layout(ConsoleLanguage language, string current, string heading, string body, ConsoleSession? session)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"").Append(language == ConsoleLanguage.English ? "en" : "fr").Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").Append(E(heading)).Append(" · ")
            .Append(T(language, "title")).Append("</title><link rel=\"stylesheet\" href=\"/console.css\"></head><body><header><h1>")
            .Append(T(language, "title")).Append("</h1>");
        if (session is not null)
        {
            html.Append("<nav>");
            foreach (var (path, key) in Navigation)
                html.Append("<a href=\"").Append(path).Append('"').Append(path == current ? " class=\"current\" aria-current=\"page\"" : "").Append('>').Append(T(language, key)).Append("</a>");
            html.Append("</nav><form method=\"post\" action=\"/logout\">").Append(Csrf(session)).Append("<button type=\"submit\">").Append(T(language, "logout")).Append("</button></form>");
        }
        html.Append("</header><main><h2 id=\"page-title\">").Append(E(heading)).Append("</h2>").Append(body).Append("</main></body></html>");
        return html.ToString();
    }
}
