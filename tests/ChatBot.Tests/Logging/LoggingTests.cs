using System.Diagnostics;
using ChatBot.Core.Foundation.Logging;
using ChatBot.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Logging;

public sealed class LoggingTests
{
    [Fact]
    public void A_scope_prints_as_key_value_pairs_and_stays_structured()
    {
        var scope = new LogScope(("Platform", "telegram"), ("ChatId", 42L), ("MessageId", 7));

        Assert.Equal("Platform=telegram ChatId=42 MessageId=7", scope.ToString());
        Assert.Equal(["Platform", "ChatId", "MessageId"], scope.Select(p => p.Key));
    }

    [Theory]
    [InlineData(null, false)] // ask's own default: warnings only
    [InlineData("Debug", true)] // Logging:LogLevel:Default, from the environment, wins
    public async Task The_default_log_level_setting_is_honoured(string? level, bool debugLines)
    {
        var environment = new Dictionary<string, string>();
        if (level is not null)
            environment["Logging__LogLevel__Default"] = level;

        var (code, error) = await AskDeclinedAsync(environment);

        Assert.Equal(0, code);
        Assert.Equal(debugLines, error.Contains("dbug:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Json_console_logs_are_one_object_a_line_for_log_shippers()
    {
        var (code, error) = await AskDeclinedAsync(new Dictionary<string, string>
        {
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Default"] = "Debug",
        });
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, code);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Category", out _) && e.TryGetProperty("Timestamp", out _)));
        Assert.Contains(entries, e => e.GetProperty("Category").GetString() == "ChatBot.Core.Answering.QuestionAnswerer" && e.GetProperty("LogLevel").GetString() == "Debug");
    }

    /// <summary>The real executable asked a question it declines (the decline is logged at Debug); its exit code and stderr.</summary>
    private static async Task<(int Code, string Error)> AskDeclinedAsync(Dictionary<string, string> environment)
    {
        using var root = new TempFolder();
        await BotFolder.IndexedAsync(root);
        var start = BotProcess.StartInfo(root.Path, "ask", environment);
        start.ArgumentList.Add("Qui est le président du Brésil ?");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        SqliteConnection.ClearAllPools();
        return (process.ExitCode, await error);
    }
}
