using System.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// Lists the corpus folder and reads its files into documents. Anything unusable (binary, not UTF-8, empty, too
/// large, malformed) becomes a warning naming the file; the rest of the corpus is unaffected.
/// </summary>
public sealed class CorpusReader(IEnumerable<IDocumentFormat> formats, CorpusOptions options)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly Dictionary<string, IDocumentFormat> _formats = formats
        .SelectMany(f => f.Extensions.Select(e => (Extension: e, Format: f)))
        .ToDictionary(x => x.Extension, x => x.Format, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> SupportedExtensions => _formats.Keys;

    public bool IsSupported(string path) =>
        _formats.ContainsKey(Path.GetExtension(path)) && !IsHiddenOrTemporary(Path.GetFileName(path));

    /// <summary>
    /// Every supported file under <paramref name="folder"/> (or that one file, for a corpus kept in a single JSONL);
    /// a missing folder is the caller's error to report.
    /// </summary>
    public List<CorpusFile> ListFiles(string folder)
    {
        var root = Path.GetFullPath(folder);
        if (File.Exists(root))
        {
            var single = new FileInfo(root);
            return [new CorpusFile(root, single.Name, Path.GetFileNameWithoutExtension(single.Name), single.Length, single.LastWriteTimeUtc)];
        }
        var files = new List<CorpusFile>();
        var enumeration = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden };
        foreach (var path in Directory.EnumerateFiles(root, "*", enumeration))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (!IsSupported(path) || relative.Split('/').Any(IsHiddenOrTemporary))
                continue;
            var info = new FileInfo(path);
            var id = relative[..^Path.GetExtension(relative).Length];
            files.Add(new CorpusFile(path, relative, id, info.Length, info.LastWriteTimeUtc));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return files;
    }

    public ParsedFile Read(CorpusFile file)
    {
        if (file.Length == 0)
            return Warn(file, "empty file; skipped");
        if (file.Length > options.MaxFileBytes)
            return Warn(file, $"{file.Length:N0} bytes is over ChatBot:Corpus:MaxFileBytes ({options.MaxFileBytes:N0}); skipped") with { Retry = true };
        if (file.Length > options.ReadWholeMaxBytes && _formats[Path.GetExtension(file.FullPath)] is IStreamingDocumentFormat streaming)
            return ReadInParts(file, streaming);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file.FullPath);
        }
        catch (IOException ex)
        {
            return Warn(file, $"could not be read ({ex.Message}); skipped") with { Retry = true };
        }
        catch (UnauthorizedAccessException ex)
        {
            return Warn(file, $"could not be read ({ex.Message}); skipped") with { Retry = true };
        }
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).IndexOf((byte)0) >= 0)
            return Warn(file, "binary content (NUL bytes); skipped");
        string text;
        try
        {
            text = StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Warn(file, "not valid UTF-8 text; skipped (re-save it as UTF-8)");
        }
        if (text.Length > 0 && text[0] == '\uFEFF')
            text = text[1..];
        if (string.IsNullOrWhiteSpace(text))
            return Warn(file, "no text; skipped");

        var format = _formats[Path.GetExtension(file.FullPath)];
        try
        {
            return Truncate(format.Parse(file.RelativePath, file.Id, text));
        }
#pragma warning disable CA1031 // a parser bug on one odd file must not stop the corpus: it becomes that file's warning
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Warn(file, $"could not be parsed ({ex.GetType().Name}: {ex.Message}); skipped");
        }
    }

    /// <summary>
    /// A large file of a line-by-line format: read once to validate it and list its articles (ids and hashes), then
    /// again, one article at a time, when the ingester stores them.
    /// </summary>
    private ParsedFile ReadInParts(CorpusFile file, IStreamingDocumentFormat format)
    {
        var listed = new List<DocumentKey>();
        var warnings = new List<CorpusWarning>();
        try
        {
            using (var stream = File.OpenRead(file.FullPath))
            {
                Span<byte> head = stackalloc byte[8192];
                if (head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)].IndexOf((byte)0) >= 0)
                    return Warn(file, "binary content (NUL bytes); skipped");
            }
            foreach (var (document, warning) in Lines(file, format))
            {
                if (warning is not null)
                    warnings.Add(warning);
                if (document is null)
                    continue;
                listed.Add(new DocumentKey(document.Id, document.ContentHash, document.Path));
                if (document.RawText.Length > options.MaxArticleChars)
                    warnings.Add(TooLong(document)); // warned once, here: the second reading cuts without a word
            }
        }
        catch (DecoderFallbackException)
        {
            return Warn(file, "not valid UTF-8 text; skipped (re-save it as UTF-8)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Warn(file, $"could not be read ({ex.Message}); skipped") with { Retry = true };
        }
        if (listed.Count == 0 && warnings.Count == 0)
            return Warn(file, "no text; skipped");
        var streamed = new StreamedDocuments(listed, () => Lines(file, format).Select(l => l.Document).OfType<SourceDocument>().Select(Cut));
        return new ParsedFile([], warnings) { Streamed = streamed };
    }

    private static IEnumerable<(SourceDocument? Document, CorpusWarning? Warning)> Lines(CorpusFile file, IStreamingDocumentFormat format)
    {
        // Strict UTF-8 (a bad byte throws), the byte order mark skipped.
        using var reader = new StreamReader(file.FullPath, StrictUtf8, detectEncodingFromByteOrderMarks: false);
        if (reader.Peek() == '\uFEFF')
            reader.Read();
        foreach (var line in format.ParseLines(file.RelativePath, file.Id, reader))
            yield return line;
    }

    private SourceDocument Cut(SourceDocument document) =>
        document.RawText.Length <= options.MaxArticleChars ? document : document with { RawText = document.RawText[..options.MaxArticleChars] };

    private CorpusWarning TooLong(SourceDocument d) =>
        new(d.Path, $"article \"{d.Id}\" has {d.RawText.Length:N0} characters; only the first {options.MaxArticleChars:N0} are indexed (ChatBot:Corpus:MaxArticleChars)");

    private ParsedFile Truncate(ParsedFile parsed)
    {
        if (parsed.Documents.All(d => d.RawText.Length <= options.MaxArticleChars))
            return parsed;
        var warnings = parsed.Warnings.ToList();
        var documents = parsed.Documents.Select(d =>
        {
            if (d.RawText.Length <= options.MaxArticleChars)
                return d;
            warnings.Add(TooLong(d));
            return Cut(d);
        }).ToList();
        return new ParsedFile(documents, warnings);
    }

    private static ParsedFile Warn(CorpusFile file, string message) => new([], [new CorpusWarning(file.RelativePath, message)]);

    private static bool IsHiddenOrTemporary(string name) =>
        name.StartsWith('.') || name.StartsWith('~') || name.EndsWith('~') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase);
}
