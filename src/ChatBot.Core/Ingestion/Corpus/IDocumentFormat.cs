namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>The articles one corpus file yields, and what was wrong with the parts that could not be used.</summary>
public sealed record ParsedFile(IReadOnlyList<SourceDocument> Documents, IReadOnlyList<CorpusWarning> Warnings)
{
    /// <summary>
    /// The failure may pass without the file changing (it could not be read, or a setting refused it): read it again
    /// next pass. Otherwise an unusable file is not read (nor warned about) again until it changes.
    /// </summary>
    public bool Retry { get; init; }
}

/// <summary>One file format of the corpus (.txt, .md, .html, .jsonl).</summary>
public interface IDocumentFormat
{
    IReadOnlyCollection<string> Extensions { get; }

    ParsedFile Parse(string path, string id, string text);
}
