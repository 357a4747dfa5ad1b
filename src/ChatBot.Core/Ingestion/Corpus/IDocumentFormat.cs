namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>The articles one corpus file yields, and what was wrong with the parts that could not be used.</summary>
public sealed record ParsedFile(IReadOnlyList<SourceDocument> Documents, IReadOnlyList<CorpusWarning> Warnings)
{
    /// <summary>
    /// The failure may pass without the file changing (it could not be read, or a setting refused it): read it again
    /// next pass. Otherwise an unusable file is not read (nor warned about) again until it changes.
    /// </summary>
    public bool Retry { get; init; }

    /// <summary>
    /// A file read in parts (a .jsonl past <see cref="CorpusOptions.ReadWholeMaxBytes"/>): <see cref="Documents"/> is
    /// empty, the articles are listed by id and hash, and read again one at a time when they are stored, so that a
    /// corpus of a million articles in one file is never held whole.
    /// </summary>
    public StreamedDocuments? Streamed { get; init; }

    /// <summary>How many articles the file yields.</summary>
    public int Count => Streamed?.Listed.Count ?? Documents.Count;

    /// <summary>The articles' ids, hashes and paths, without their text.</summary>
    public IEnumerable<DocumentKey> Keys => Streamed?.Listed ?? Documents.Select(d => new DocumentKey(d.Id, d.ContentHash, d.Path));
}

/// <summary>An article of a file, named without its text.</summary>
public readonly record struct DocumentKey(string Id, string ContentHash, string Path);

/// <summary>
/// The articles of a file read in parts: listed on the first reading (which also validated it), read again by
/// <see cref="Read"/>. When that second reading fails (the file changed or went away meanwhile), it stops early and
/// says why in <see cref="Interrupted"/>: what was read is kept, and the file is read again next pass.
/// </summary>
public sealed class StreamedDocuments(IReadOnlyList<DocumentKey> listed, Func<IEnumerable<SourceDocument>> read)
{
    public IReadOnlyList<DocumentKey> Listed { get; } = listed;

    public string? Interrupted { get; private set; }

    public IEnumerable<SourceDocument> Read()
    {
        using var documents = read().GetEnumerator();
        while (true)
        {
            try
            {
                if (!documents.MoveNext())
                    yield break;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.DecoderFallbackException)
            {
                Interrupted = ex.Message;
                yield break;
            }
            yield return documents.Current;
        }
    }
}

/// <summary>A format whose files can be read one article at a time from a stream (JSON Lines).</summary>
public interface IStreamingDocumentFormat : IDocumentFormat
{
    /// <summary>The file's articles and warnings, read line by line from <paramref name="reader"/>.</summary>
    IEnumerable<(SourceDocument? Document, CorpusWarning? Warning)> ParseLines(string path, string id, TextReader reader);
}

/// <summary>One file format of the corpus (.txt, .md, .html, .jsonl).</summary>
public interface IDocumentFormat
{
    IReadOnlyCollection<string> Extensions { get; }

    ParsedFile Parse(string path, string id, string text);
}
