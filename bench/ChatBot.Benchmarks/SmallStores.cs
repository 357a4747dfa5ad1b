using System.Diagnostics;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Conversation.Controls;
using ChatBot.Core.Conversation.Inbox;
using ChatBot.Core.Indexing;
using ChatBot.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatBot.Benchmarks;

/// <summary>
/// The PostgreSQL small stores, one call at a time: the inbox (every chat message is accepted and completed through
/// it), feedback, the question log and conversations. Prints the mean and p95 per call, for comparing two ways of
/// writing the same statements. Needs a server: <c>stores "Host=127.0.0.1;Port=5432;Username=postgres" [CALLS]</c>.
/// </summary>
public static class SmallStores
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0)
        {
            Console.Error.WriteLine("usage: stores CONNECTION_STRING [CALLS]");
            return 2;
        }
        var calls = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        var name = "chatbot_bench_" + Guid.NewGuid().ToString("N")[..12];
        var admin = new NpgsqlConnectionStringBuilder(args[0]) { Database = "postgres", Pooling = false }.ConnectionString;
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        try
        {
            await using var database = new PostgresDatabase(new StoreOptions { Provider = "Postgres", ConnectionString = new NpgsqlConnectionStringBuilder(args[0]) { Database = name }.ConnectionString });
            await using (var connection = await database.ConnectAsync(default))
                await database.MigrateAsync(connection, NullLogger.Instance, default);
            var inbox = new PostgresInboxStore(database);
            var feedback = new PostgresFeedbackStore(database);
            var questions = new PostgresQuestionLog(database);
            var conversations = new PostgresConversationStore(database);
            var at = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
            var turns = new List<ChatTurn> { new("Où se trouve Hamedan ?", "En Iran, selon **Euronews**.") };

            await MeasureAsync("inbox accept + complete", calls, async i =>
            {
                await inbox.AcceptAsync(new InboxItem("telegram", "k" + i, "update", "{\"update_id\":" + i + "}", at), "bench", default);
                await inbox.CompleteAsync("telegram", "k" + i, at, default);
            });
            await MeasureAsync("inbox claim (none pending)", calls, async _ => await inbox.ClaimPendingAsync("telegram", "bench", at, TimeSpan.FromMinutes(2), default));
            await MeasureAsync("feedback save", calls, async i => await feedback.SaveVoteAsync(new FeedbackVote("telegram", "c", "m" + (i % 200), "u", 1, "q", "a", ["000"], at), default));
            await MeasureAsync("feedback read (200 votes)", Math.Max(1, calls / 10), async _ => await feedback.VotesAsync(default));
            await MeasureAsync("question log record", calls, async i => await questions.RecordAsync(new LoggedQuestion(at, "telegram", 12.5, i % 3 == 0, "Où ?", ["000", "001"]), default));
            await MeasureAsync("question log read (500)", Math.Max(1, calls / 10), async _ => await questions.ReadAsync(at.AddDays(-1), 500, default));
            await MeasureAsync("conversation save + load", calls, async i =>
            {
                await conversations.SaveAsync("telegram", "c", ["m" + i], turns, at, default);
                await conversations.LoadAsync("telegram", "c", "m" + i, default);
            });
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
        return 0;
    }

    private static async Task MeasureAsync(string what, int calls, Func<int, Task> call)
    {
        for (var i = 0; i < Math.Min(50, calls); i++)
            await call(-1 - i); // warm-up: prepared statements, pool, JIT
        var times = new double[calls];
        for (var i = 0; i < calls; i++)
        {
            var clock = Stopwatch.GetTimestamp();
            await call(i);
            times[i] = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
        }
        Array.Sort(times);
        Console.WriteLine($"{what,-30} mean {times.Average(),7:0.000} ms   p50 {times[calls / 2],7:0.000} ms   p95 {times[(int)(calls * 0.95)],7:0.000} ms   ({calls} calls)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
