using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// Cleans a document and settles its metadata: what the format gave wins over what the text suggests. Whatever comes
/// out is well-formed text (no half surrogate pair, no control character) that any store can hold.
/// </summary>
public sealed partial class ArticleBuilder(BoilerplateCleaner cleaner)
{
    /// <summary>Changes whenever cleaning changes what an article becomes: the index records it and builds again.</summary>
    public const string Version = "2";

    public Article Build(SourceDocument document)
    {
        var cleaned = cleaner.Clean(TextFolding.WithoutLoneSurrogates(document.RawText), PlainTitle(document.Title));
        var title = FirstNonEmpty(PlainTitle(document.Title), PlainTitle(cleaned.Title)) ?? document.Id;
        var text = cleaned.Text;
        if (text.Length == 0 && Clean(document.RawText) is { } raw && !string.Equals(raw, title, StringComparison.Ordinal))
            text = raw; // a one-sentence article looks like page furniture to the cleaner; it is still an article
        return new Article(
            document.Id,
            title,
            FirstNonEmpty(Clean(document.Source), cleaned.Source),
            document.Published ?? cleaned.Published,
            Clean(document.Url),
            document.Path,
            text,
            document.ContentHash);
    }

    /// <summary>
    /// A title is plain text: markup some exports leave in it (<c>&lt;i&gt;Saw 3D&lt;/i&gt;</c>, language spans) is
    /// dropped, entities decoded, so it neither pollutes the title's search terms nor reaches a chat as markup.
    /// </summary>
    private static string? PlainTitle(string? value) =>
        value is null ? null : Clean(System.Net.WebUtility.HtmlDecode(TitleMarkup().Replace(value, " ")));

    [System.Text.RegularExpressions.GeneratedRegex(@"</?[a-zA-Z][^<>]{0,200}>")]
    private static partial System.Text.RegularExpressions.Regex TitleMarkup();

    private static string? Clean(string? value) =>
        value is null ? null : TextFolding.CollapseWhitespace(TextFolding.WithoutLoneSurrogates(value)) is { Length: > 0 } clean ? clean : null;

    private static string? FirstNonEmpty(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
