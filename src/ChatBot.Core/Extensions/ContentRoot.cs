namespace ChatBot.Core.Extensions;

/// <summary>Relative paths in settings are relative to the folder that holds <c>appsettings.json</c>.</summary>
public static class ContentRoot
{
    public static string Resolve(string contentRoot, string path) =>
        Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(contentRoot, path));
}
