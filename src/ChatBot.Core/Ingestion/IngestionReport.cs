using ChatBot.Core.Ingestion.Corpus;

namespace ChatBot.Core.Ingestion;

/// <summary>What one pass over the corpus did.</summary>
public sealed record IngestionReport(
    string CorpusPath,
    int Files,
    int Added,
    int Updated,
    int Removed,
    int Unchanged,
    int Chunks,
    IReadOnlyList<CorpusWarning> Warnings,
    TimeSpan Elapsed)
{
    public bool Changed => Added + Updated + Removed > 0;

    public override string ToString() =>
        $"{Files} files: {Added} added, {Updated} updated, {Removed} removed, {Unchanged} unchanged; {Chunks} chunks embedded; " +
        $"{Warnings.Count} warnings; {Elapsed.TotalSeconds:0.00} s";
}

/// <summary>Progress of a pass: articles embedded so far out of those to embed.</summary>
public readonly record struct IngestionProgress(int Done, int Total, string? Current);
