namespace ChatBot.Core.Corpus;

/// <summary>Cleans a document and settles its metadata: what the format gave wins over what the text suggests.</summary>
public sealed class ArticleBuilder(BoilerplateCleaner cleaner)
{
    public Article Build(SourceDocument document)
    {
        var cleaned = cleaner.Clean(document.RawText, document.Title);
        var title = FirstNonEmpty(document.Title, cleaned.Title) ?? document.Id;
        return new Article(
            document.Id,
            title,
            FirstNonEmpty(document.Source, cleaned.Source),
            document.Published ?? cleaned.Published,
            document.Url,
            document.Path,
            cleaned.Text,
            document.ContentHash);
    }

    private static string? FirstNonEmpty(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
