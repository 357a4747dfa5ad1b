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

    private ParsedFile Truncate(ParsedFile parsed)
    {
        if (parsed.Documents.All(d => d.RawText.Length <= options.MaxArticleChars))
            return parsed;
        var warnings = parsed.Warnings.ToList();
        var documents = parsed.Documents.Select(d =>
        {
            if (d.RawText.Length <= options.MaxArticleChars)
                return d;
            warnings.Add(new CorpusWarning(d.Path, $"article \"{d.Id}\" has {d.RawText.Length:N0} characters; only the first {options.MaxArticleChars:N0} are indexed (ChatBot:Corpus:MaxArticleChars)"));
            return d with { RawText = d.RawText[..options.MaxArticleChars] };
        }).ToList();
        return new ParsedFile(documents, warnings);
    }

    private static ParsedFile Warn(CorpusFile file, string message) => new([], [new CorpusWarning(file.RelativePath, message)]);

    private static bool IsHiddenOrTemporary(string name) =>
        name.StartsWith('.') || name.StartsWith('~') || name.EndsWith('~') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith(".swp", StringComparison.OrdinalIgnoreCase);
}
