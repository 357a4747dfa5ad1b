using Microsoft.Extensions.Configuration;

namespace ChatBot.Core.Foundation.Hosting;

/// <summary>
/// Where relative paths in settings point. The app's own files (prompts, models) are relative to the folder that holds
/// <c>appsettings.json</c> (the content root: the repository in a clone, the publish folder once deployed). What the
/// bot writes (the index) is relative to the <b>data directory</b>: <c>ChatBot:DataDirectory</c> if set, else
/// systemd's <c>$STATE_DIRECTORY</c>, else the content root. The corpus is looked for in the data directory first,
/// then beside the app (the published sample), so a service starts on the sample and takes its own articles once an
/// operator puts them in <c>&lt;data directory&gt;/corpus</c>.
/// </summary>
public static class ContentRoot
{
    public const string DataDirectoryKey = "ChatBot:DataDirectory";

    /// <summary>The variable systemd sets from the unit's <c>StateDirectory=</c> (a colon-separated list; the first is ours).</summary>
    public const string StateDirectoryVariable = "STATE_DIRECTORY";

    public static string Resolve(string contentRoot, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(contentRoot, path));

    /// <summary>The folder the bot writes its data under (see the type's summary).</summary>
    public static string DataDirectory(IConfiguration configuration, string contentRoot)
    {
        if (configuration[DataDirectoryKey] is { Length: > 0 } configured)
            return Resolve(contentRoot, configured);
        if (Environment.GetEnvironmentVariable(StateDirectoryVariable) is { Length: > 0 } state)
            return Resolve(contentRoot, state.Split(':')[0]);
        return Path.GetFullPath(contentRoot);
    }

    /// <summary>A relative corpus path: in the data directory when it is there, else beside the app.</summary>
    public static string ResolveCorpus(string contentRoot, string dataDirectory, string path)
    {
        if (Path.IsPathRooted(path))
            return path;
        var inData = Resolve(dataDirectory, path);
        return Directory.Exists(inData) || File.Exists(inData) ? inData : Resolve(contentRoot, path);
    }
}
