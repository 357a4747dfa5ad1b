namespace ChatBot.Hosting;

/// <summary>
/// Finds the folder whose <c>appsettings.json</c> configures the bot, so the app behaves the same wherever it is started
/// from: <c>CHATBOT_ROOT</c> if set, else the nearest folder with <c>appsettings.json</c> above the working directory,
/// else above the executable (a build inside the repository finds the repository root), else the working directory.
/// </summary>
public static class ContentRootLocator
{
    public const string Variable = "CHATBOT_ROOT";

    public static string Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } configured)
            return Path.GetFullPath(configured);
        return Above(Directory.GetCurrentDirectory()) ?? Above(AppContext.BaseDirectory) ?? Directory.GetCurrentDirectory();
    }

    private static string? Above(string start)
    {
        for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "appsettings.json")))
                return folder.FullName;
        }
        return null;
    }
}
