using System.Diagnostics;

namespace ChatBot.Tests.Support;

/// <summary>
/// The real executable in a child process, for tests that must kill a bot outright. It runs on the test assembly's
/// runtime configuration and dependency list, which hold everything ChatBot.dll needs; settings come as environment
/// variables, as an operator would give them.
/// </summary>
public static class BotProcess
{
    public static ProcessStartInfo StartInfo(string contentRoot, string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var bin = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet", [
            "exec", "--runtimeconfig", Path.Combine(bin, "ChatBot.Tests.runtimeconfig.json"), "--depsfile", Path.Combine(bin, "ChatBot.Tests.deps.json"),
            Path.Combine(bin, "ChatBot.dll"), command])
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CHATBOT_ROOT"] = contentRoot;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        return start;
    }

    /// <summary>Starts the bot with its output drained (and dropped), so that it never blocks on a full pipe.</summary>
    public static Process Start(string contentRoot, string command, IReadOnlyDictionary<string, string>? environment = null)
    {
        var process = Process.Start(StartInfo(contentRoot, command, environment))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
