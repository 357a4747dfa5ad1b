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
