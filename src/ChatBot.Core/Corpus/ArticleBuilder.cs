using ChatBot.Core.Text;

namespace ChatBot.Core.Corpus;

/// <summary>
/// Cleans a document and settles its metadata: what the format gave wins over what the text suggests. Whatever comes
/// out is well-formed text (no half surrogate pair, no control character) that any store can hold.
/// </summary>
public sealed class ArticleBuilder(BoilerplateCleaner cleaner)
{
    public Article Build(SourceDocument document)
    {
        var cleaned = cleaner.Clean(TextFolding.WithoutLoneSurrogates(document.RawText), Clean(document.Title));
        var title = FirstNonEmpty(Clean(document.Title), cleaned.Title) ?? document.Id;
        return new Article(
            document.Id,
            title,
            FirstNonEmpty(Clean(document.Source), cleaned.Source),
            document.Published ?? cleaned.Published,
            Clean(document.Url),
            document.Path,
            cleaned.Text,
            document.ContentHash);
    }

    private static string? Clean(string? value) =>
        value is null ? null : TextFolding.CollapseWhitespace(TextFolding.WithoutLoneSurrogates(value)) is { Length: > 0 } clean ? clean : null;

    private static string? FirstNonEmpty(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
