using System.Diagnostics;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Storage;

/// <summary>
/// One owner per SQLite file: a second <c>run</c> on the same file refuses to start, with one line naming the first
/// process, and never touches the first one's inbox; one-shot commands still read beside it.
/// </summary>
public sealed class SingleOwnerTests
{
    [Fact]
    public async Task A_second_run_on_the_same_file_refuses_to_start_naming_the_first_and_ask_still_works()
    {
        using var root = new TempFolder();
        await BotFolder.IndexedAsync(root);
        await using var api = await FakeBotApi.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["ChatBot__Corpus__Path"] = root.Combine("corpus"),
            ["ChatBot__Store__Path"] = root.Combine("data", "chatbot.db"),
            ["ChatBot__Telegram__Token"] = FakeBotApi.Token,
            ["ChatBot__Telegram__BaseUrl"] = api.BaseUrl,
            ["ChatBot__Telegram__PollTimeoutSeconds"] = "1",
        };
        using var first = BotProcess.Start(root.Path, "run", environment);
        try
        {
            await FakeBotApi.WaitForAsync(() => api.Calls.Any(c => c.Method == "getUpdates"), "the first process polling");

            var start = BotProcess.StartInfo(root.Path, "run", environment);
            start.RedirectStandardInput = true;
            using var second = Process.Start(start)!;
            var error = second.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var output = second.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await second.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
            await output;

            Assert.Equal(1, second.ExitCode);
            var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("already served", StringComparison.Ordinal));
            Assert.Contains($"process {first.Id} on ", line, StringComparison.Ordinal);
            Assert.Contains("ChatBot__Store__Path", line, StringComparison.Ordinal);
            Assert.Single(api.Calls, c => c.Method == "getMe"); // the second never reached the platforms, nor the inbox
            Assert.False(first.HasExited);

            var askInfo = BotProcess.StartInfo(root.Path, "ask", environment);
            askInfo.ArgumentList.Add("Dans quelle région de l'Iran se trouve Hamedan ?");
            using var ask = Process.Start(askInfo)!;
            var answer = await ask.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await ask.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, ask.ExitCode);
            Assert.Contains("nord-ouest", answer, StringComparison.Ordinal);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(TestContext.Current.CancellationToken);
            SqliteConnection.ClearAllPools();
        }
    }
}

/// <summary>
/// A database the bot's user cannot write stops <c>run</c> at once with one line naming the path and the permission,
/// never advising to delete anything. Run as an unprivileged user: as root the suite drops to <c>nobody</c> (root
/// writes any file), otherwise the file's own permissions do.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UnwritableStoreTests
{
    [Fact]
    public async Task A_read_only_database_stops_run_with_one_line_naming_the_path_and_the_permission()
    {
        using var root = new TempFolder();
        var database = await BotFolder.IndexedAsync(root);
        var data = Path.GetDirectoryName(database)!;
        foreach (var file in Directory.GetFiles(data, "chatbot.db.lock").Concat(Directory.GetFiles(data, "chatbot.db.owner")))
            File.Delete(file);
        var everyoneReads = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var everyoneWrites = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        var everyoneEnters = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root.Path, everyoneReads | everyoneEnters | UnixFileMode.UserWrite);
        foreach (var directory in Directory.GetDirectories(root.Path, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(directory, everyoneReads | everyoneEnters | UnixFileMode.UserWrite);
        foreach (var file in Directory.GetFiles(root.Path, "*", SearchOption.AllDirectories))
            File.SetUnixFileMode(file, everyoneReads);
        File.SetUnixFileMode(data, everyoneReads | everyoneEnters | everyoneWrites); // the folder is writable: only the file is not

        var start = BotProcess.StartInfo(root.Path, "run");
        if (Environment.UserName == "root")
        {
            var command = start.FileName;
            var arguments = start.ArgumentList.ToList();
            start.FileName = "runuser";
            start.ArgumentList.Clear();
            foreach (var argument in new[] { "-u", "nobody", "--", command }.Concat(arguments))
                start.ArgumentList.Add(argument);
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);
        File.SetUnixFileMode(database, everyoneReads | UnixFileMode.UserWrite); // let the temp folder go
        SqliteConnection.ClearAllPools();

        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single((await error).Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(database, line, StringComparison.Ordinal);
        Assert.Contains("readonly", line, StringComparison.Ordinal);
        Assert.DoesNotContain("delete it", line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("--rebuild", line, StringComparison.Ordinal);
    }
}
