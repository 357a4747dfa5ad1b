using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Data.Sqlite;

namespace ChatBot.Tests.Telegram;

/// <summary>The real executable killed with SIGKILL while answering, then started again on the same database.</summary>
public sealed class TelegramKillTests
{
    private const int Questions = 20;

    [Fact]
    public async Task Killed_with_twenty_updates_in_flight_the_bot_loses_none_and_answers_none_twice()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root.Combine("corpus"));
        foreach (var file in Fixture.SeedFiles)
            File.Copy(file, root.Combine("corpus", Path.GetFileName(file)));
        await using var api = await FakeBotApi.StartAsync();
        var environment = new Dictionary<string, string>
        {
            ["ChatBot__Corpus__Path"] = root.Combine("corpus"),
            ["ChatBot__Store__Path"] = root.Combine("data", "chatbot.db"),
            ["ChatBot__Telegram__Token"] = FakeBotApi.Token,
            ["ChatBot__Telegram__BaseUrl"] = api.BaseUrl,
            ["ChatBot__Telegram__PollTimeoutSeconds"] = "1",
            ["ChatBot__Telegram__PerChatIntervalMs"] = "0",
            ["ChatBot__Controls__UserQuestionsPerMinute"] = "1000",
            ["ChatBot__Controls__ChannelQuestionsPerMinute"] = "1000",
        };

        // Five are answered; then every send is held, so the other fifteen are in flight (stored, being answered,
        // or queued) when the process dies.
        var first = new List<int>();
        for (var i = 0; i < 5; i++)
            first.Add(api.Send(1000 + i, $"Dans quelle région de l'Iran se trouve Hamedan ? ({i})", userId: 100 + i));
        var killed = BotProcess.Start(root.Path, "run", environment);
        try
        {
            await api.WaitForSentAsync(5, TimeSpan.FromSeconds(60));
            // Each answered update is marked done just after its reply: wait for that, or a replay would repeat it.
            await InboxProbe.WaitForDoneAsync(root.Combine("data", "chatbot.db"), 5, TimeSpan.FromSeconds(30));
            api.HoldSends = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            var rest = new List<int>();
            for (var i = 5; i < Questions; i++)
                rest.Add(api.Send(1000 + i % 7, $"Dans quelle région de l'Iran se trouve Hamedan ? ({i})", userId: 100 + i));
            await FakeBotApi.WaitForAsync(() => api.PendingUpdates == 0, "the fifteen confirmed to Telegram");
            await FakeBotApi.WaitForAsync(() => api.Calls.Count(c => c.Method == "sendMessage") > 5, "answers in flight");
        }
        finally
        {
            killed.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no grace
            await killed.WaitForExitAsync(TestContext.Current.CancellationToken);
            killed.Dispose();
        }
        var held = api.HoldSends!;
        api.HoldSends = null;
        held.SetResult(false); // what was held died with the process
        Assert.Equal(5, api.Sent.Count); // nothing held reached Telegram

        using var restarted = BotProcess.Start(root.Path, "run", environment);
        try
        {
            await api.WaitForSentAsync(Questions, TimeSpan.FromSeconds(60));
            await InboxProbe.WaitForDoneAsync(root.Combine("data", "chatbot.db"), Questions, TimeSpan.FromSeconds(30));
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var answered = api.Sent.Select(s => (Chat: s.Body["chat_id"]!.GetValue<long>(), Reply: s.Body["reply_parameters"]!["message_id"]!.GetValue<int>())).ToList();
        Assert.Equal(Questions, answered.Count);
        Assert.Equal(Questions, answered.Distinct().Count()); // none twice
        Assert.All(api.Sent, s => Assert.Contains("nord-ouest", s.Body["_visible"]!.GetValue<string>(), StringComparison.Ordinal));
        SqliteConnection.ClearAllPools();
    }
}
