using System.ComponentModel.DataAnnotations;

namespace ChatBot.Core.Ingestion.Corpus;

public sealed class CorpusOptions
{
    public const string SectionName = "ChatBot:Corpus";

    /// <summary>Folder of articles (.txt, .md, .html, .jsonl), searched recursively. Relative to the content root.</summary>
    [Required]
    public string Path { get; set; } = "corpus";

    /// <summary>Files larger than this are skipped with a warning (a stray dump or archive).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxFileBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>
    /// A .jsonl file larger than this is read line by line, twice (listed, then stored a batch at a time), instead of
    /// whole: memory then holds a batch of articles, not the file (a million articles in one file took 4 GB).
    /// </summary>
    [Range(0, long.MaxValue)]
    public long ReadWholeMaxBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>An article longer than this is cut to this length, with a warning.</summary>
    [Range(1000, int.MaxValue)]
    public int MaxArticleChars { get; set; } = 200_000;

    /// <summary>While the host runs, file changes are applied this long after the last one seen.</summary>
    [Range(50, 60_000)]
    public int WatchDebounceMs { get; set; } = 750;

    /// <summary>A full rescan runs this often even without file events (watchers can miss them on network drives).</summary>
    [Range(1, 1440)]
    public int RescanMinutes { get; set; } = 10;
}
