using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace ChatBot.OperatorConsole.Pages;

/// <summary>
/// What the pages (<c>*.cshtml</c>, RazorSlices) share: the encoder, the phrases, and how times and numbers are
/// written. Razor encodes every value it writes, so markup in titles or questions is shown, never run.
/// </summary>
public static class Html
{
    /// <summary>Encodes markup characters (&lt; &gt; &amp; quotes) and leaves letters of every script as they are.</summary>
    public static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static readonly (string Path, string Key)[] Navigation =
    [
        ("/", "nav.health"), ("/questions", "nav.questions"), ("/gaps", "nav.gaps"), ("/feedback", "nav.feedback"), ("/articles", "nav.articles"),
    ];

    public static string E(string? text) => Encoder.Encode(text ?? "");

    /// <summary>A phrase of the console in the page's language, not yet encoded (Razor encodes it when written).</summary>
    public static string Text(ConsoleLanguage language, string key, params object[] args) => ConsoleText.Get(key, language, args);

    public static string Time(DateTimeOffset? at) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "–";

    public static string Day(ConsoleLanguage language, DateOnly? published) =>
        published is { } d ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : Text(language, "articles.undated");

    public static string Number(double value, string format = "0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";
}
