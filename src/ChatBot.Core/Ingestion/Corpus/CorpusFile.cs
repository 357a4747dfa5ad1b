namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>A file of the corpus folder, with what tells whether it changed since it was last read.</summary>
public sealed record CorpusFile(string FullPath, string RelativePath, string Id, long Length, DateTime LastWriteUtc)
{
    public string Fingerprint => $"{Length}:{LastWriteUtc.Ticks}";
}
