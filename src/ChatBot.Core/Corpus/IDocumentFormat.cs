namespace ChatBot.Core.Corpus;

/// <summary>The articles one corpus file yields, and what was wrong with the parts that could not be used.</summary>
public sealed record ParsedFile(IReadOnlyList<SourceDocument> Documents, IReadOnlyList<CorpusWarning> Warnings);

/// <summary>One file format of the corpus (.txt, .md, .html, .jsonl).</summary>
public interface IDocumentFormat
{
    IReadOnlyCollection<string> Extensions { get; }

    ParsedFile Parse(string path, string id, string text);
}
