namespace ChatBot.Core.Ingestion.Sources;

/// <summary>
/// Articles fetched from the web (a feed, a sitemap, a page, <c>/add</c>) live beside the corpus folder's: their path is
/// their canonical URL, so the folder pass neither reads nor removes them, and their fetch validators are remembered
/// under the URL they were fetched from.
/// </summary>
public static class WebArticles
{
    public static bool IsWebPath(string path) =>
        path.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Which kind of thing a configured source is.</summary>
public enum SourceKind
{
    Feed,
    Sitemap,
    Page,
}

/// <summary>
/// A configured source as the bot last saw it: when it last worked, what went wrong last (one line), when it is tried
/// next, and how many articles it gave.
/// </summary>
public sealed record SourceState(
    string Url,
    SourceKind? Kind,
    DateTimeOffset? LastSuccess,
    DateTimeOffset? LastAttempt,
    string? LastError,
    DateTimeOffset? NextTry,
    int Articles,
    int ConsecutiveFailures)
{
    public bool Healthy => LastError is null;
}

/// <summary>The configured web sources and their state, for <c>/sources</c> and the console (none without the sources module).</summary>
public interface ISourceBoard
{
    IReadOnlyList<SourceState> Sources { get; }
}

/// <summary>No web sources configured.</summary>
public sealed class NoSources : ISourceBoard
{
    public IReadOnlyList<SourceState> Sources => [];
}
