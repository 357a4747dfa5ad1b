using System.Globalization;
using ChatBot.Core.Digest;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Digest;

/// <summary>The real executable killed (SIGKILL) while it posts a digest: the period is never half-posted nor posted twice.</summary>
public sealed class DigestCrashTests
{
    private const long Chat = -100777;
    private const string Target = "telegram:-100777";

    [Fact]
    public async Task A_process_killed_mid_post_leaves_the_period_claimed_and_it_is_not_posted_again_after_restart()
    {
        await using var api = await FakeBotApi.StartAsync();
        using var root = new TempFolder();
        var database = await BotFolder.IndexedAsync(root);
        // The target's digests count from three days ago, so the period due now has five new articles to post.
        Execute(database, "INSERT INTO digest_ledger (target, period, state, attempts, updated_at) VALUES ($t, $p, 'Baseline', 0, $p)",
            ("$t", Target), ("$p", DateTimeOffset.UtcNow.AddDays(-3).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture)));
        SqliteConnection.ClearAllPools();
        // The Bot API takes its time over the digest: the process dies while the message is in flight.
        api.FailNext("sendMessage", new FakeBotApi.Fault(200, "", Delay: TimeSpan.FromSeconds(5), ForChat: Chat));

        using (var bot = BotProcess.Start(root.Path, "run", new Dictionary<string, string>
        {
            ["ChatBot__Telegram__Token"] = FakeBotApi.Token,
            ["ChatBot__Telegram__BaseUrl"] = api.BaseUrl,
            ["ChatBot__Telegram__PerChatIntervalMs"] = "0",
            ["ChatBot__Digest__Targets__0"] = Target,
        }))
        {
            try
            {
                // A process start and an index open, on a busy CI machine: 30 s.
                await Eventually.WaitAsync(() => api.Calls.Any(IsDigest), "the digest sent", TimeSpan.FromSeconds(30));
                bot.Kill(entireProcessTree: true);
                await bot.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
            finally
            {
                if (!bot.HasExited)
                    bot.Kill(entireProcessTree: true);
            }
        }
        SqliteConnection.ClearAllPools();
        var claimed = Scalar(database, "SELECT state FROM digest_ledger WHERE target = $t ORDER BY period DESC LIMIT 1", ("$t", Target));
        Assert.Equal("Claimed", claimed);

        // Started again (in process, same files): the claimed period is left alone, whatever became of the message.
        await using var again = new TestBot(seedCorpus: false);
        again.Settings["ChatBot:Corpus:Path"] = root.Combine("corpus");
        again.Settings["ChatBot:Store:Path"] = database;
        again.Settings["ChatBot:Digest:Targets:0"] = Target;
        again.Settings["ChatBot:Telegram:Token"] = FakeBotApi.Token;
        again.Settings["ChatBot:Telegram:BaseUrl"] = api.BaseUrl;
        again.Configure = builder => builder.Services.AddSingleton<DigestService>();
        // The pass is awaited: whatever it would post has been posted when it returns (the fake records a call on arrival).
        await again.Services.GetRequiredService<DigestService>().TickAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, api.Calls.Count(IsDigest));
        Assert.Equal("Claimed", Scalar(database, "SELECT state FROM digest_ledger WHERE target = $t ORDER BY period DESC LIMIT 1", ("$t", Target)));
    }

    private static bool IsDigest(FakeBotApi.ApiCall call) =>
        call.Method == "sendMessage" && call.Body["chat_id"]?.GetValue<long>() == Chat;

    private static void Execute(string database, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={database}");
        connection.Open();
        using var command = new SqliteCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        command.ExecuteNonQuery();
    }

    private static string? Scalar(string database, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        connection.Open();
        using var command = new SqliteCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return command.ExecuteScalar() as string;
    }
}
