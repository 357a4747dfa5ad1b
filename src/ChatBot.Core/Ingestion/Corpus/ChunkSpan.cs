namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>A chunk of an article: whole sentences, located by character offsets into <see cref="Article.Text"/>.</summary>
public sealed record ChunkSpan(string ArticleId, int Ordinal, int Start, int End, string Text)
{
    public string Key => ChunkKey(ArticleId, Ordinal);

    public static string ChunkKey(string articleId, int ordinal) => $"{articleId}#{ordinal}";
}
