using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Replicas;
using ChatBot.Core.Ingestion;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Storage;

/// <summary>
/// Whole bots as replicas of one real PostgreSQL database: the real host (same DI graph as the app) in process, and
/// the real executable in a child process where the test must kill a replica outright.
/// </summary>
public sealed class PostgresHostTests : IAsyncLifetime
{
    private const string Question = "Que répond Poutine sur l'aide militaire à l'Iran ?";
    private TestDatabase _database = null!;

    public async ValueTask InitializeAsync() => _database = await PostgresServer.CreateDatabaseAsync();

    public async ValueTask DisposeAsync() => await _database.DisposeAsync();

    private TestBot Replica(string name, string? corpus = null)
    {
        var bot = new TestBot(seedCorpus: corpus is null).UsePostgres(_database.ConnectionString, name);
        if (corpus is not null)
            bot.Settings["ChatBot:Corpus:Path"] = corpus;
        bot.Configure = builder => builder.AddCorpusWatcher();
        return bot;
    }

    private static CorpusWatcherService Watcher(TestBot bot) => bot.Services.GetRequiredService<CorpusWatcherService>();

    private static ChatBot.Storage.Postgres.PostgresLeadership Leadership(TestBot bot) => (ChatBot.Storage.Postgres.PostgresLeadership)bot.Services.GetRequiredService<ILeadership>();

    private static Task<TimeSpan> WithinAsync(TimeSpan limit, Func<Task<bool>> condition) => Eventually.WaitAsync(condition, "condition", limit);

    private static void WriteArticle(string corpus, string name, string title) =>
        File.WriteAllText(Path.Combine(corpus, name), $"{title}\n\nPar Reuters\n\nLe Kremlin et Téhéran ont annoncé {title.ToLowerInvariant()}, selon un communiqué publié dans la matinée.\n");

    [Fact]
    public async Task Two_hosts_on_one_database_both_answer_and_only_the_leader_ingests()
    {
        await using var a = Replica("a");
        await using var b = Replica("b", corpus: a.CorpusPath);
        await a.Host.StartAsync(Ct);
        await WithinAsync(TimeSpan.FromSeconds(20), () => Task.FromResult(Watcher(a).Passes >= 1));
        await b.Host.StartAsync(Ct);

        var fromA = await a.Answerer.AnswerAsync(new ChatRequest(Question), Ct);
        var fromB = await b.Answerer.AnswerAsync(new ChatRequest(Question), Ct);
        await WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(Leadership(b).Refused >= 3)); // b tried three times

        Assert.True(fromA.Grounded && fromB.Grounded);
        Assert.Equal(fromA.Citations[0].ArticleId, fromB.Citations[0].ArticleId);
        Assert.Equal(fromA.Text, fromB.Text);
        Assert.Equal(0, Watcher(b).Passes);
        Assert.True(a.Services.GetRequiredService<ILeadership>().IsLeader);
        Assert.False(b.Services.GetRequiredService<ILeadership>().IsLeader);

        // A new article reaches the leader's watcher, and through the database the other replica's answers.
        WriteArticle(a.CorpusPath, "gazoduc.txt", "Un gazoduc sous la Caspienne");
        await WithinAsync(TimeSpan.FromSeconds(10), async () =>
            (await b.Answerer.AnswerAsync(new ChatRequest("Quel gazoduc sous la Caspienne ?"), Ct)).Citations.Any(c => c.Title == "Un gazoduc sous la Caspienne"));
        Assert.Equal(0, Watcher(b).Passes);
    }

    [Fact]
    public async Task Killing_the_leader_process_moves_ingestion_to_another_replica_within_ten_seconds()
    {
        using var root = new TempFolder();
        var corpus = root.Combine("corpus");
        Directory.CreateDirectory(corpus);
        foreach (var file in Fixture.SeedFiles)
            File.Copy(file, Path.Combine(corpus, Path.GetFileName(file)));
        File.WriteAllText(root.Combine("appsettings.json"), """{ "ChatBot": { "Corpus": { "Path": "corpus" } } }""");
        using var leader = BotProcess.Start(root.Path, "run", new Dictionary<string, string>
        {
            ["ChatBot__Store__Provider"] = "Postgres",
            ["ChatBot__Store__ConnectionString"] = _database.ConnectionString,
            ["ChatBot__Store__ReplicaName"] = "killed",
        });
        try
        {
            await using var admin = Npgsql.NpgsqlDataSource.Create(_database.ConnectionString);
            await WithinAsync(TimeSpan.FromSeconds(30), async () =>
                await ChatBot.Storage.Postgres.PostgresLeadership.CurrentLeaderAsync(admin, Ct) == "chatbot killed leader"
                && await ScalarOrZeroAsync("SELECT count(*) FROM articles") == 5);

            await using var survivor = Replica("survivor", corpus);
            await survivor.Host.StartAsync(Ct);
            await WithinAsync(TimeSpan.FromSeconds(10), () => Task.FromResult(Leadership(survivor).Refused >= 3));
            Assert.Equal(0, Watcher(survivor).Passes);

            leader.Kill(entireProcessTree: true);
            await leader.WaitForExitAsync(Ct);
            WriteArticle(corpus, "caspienne.txt", "Un gazoduc sous la Caspienne");
            // The article is written during the survivor's pass, which is counted once it ends: wait for both.
            var moved = await WithinAsync(TimeSpan.FromSeconds(10), async () => await ScalarOrZeroAsync("SELECT count(*) FROM articles") == 6 && Watcher(survivor).Passes >= 1);

            TestContext.Current.SendDiagnosticMessage($"ingestion moved after {moved.TotalMilliseconds:0} ms");
            Assert.True(survivor.Services.GetRequiredService<ILeadership>().IsLeader);
            Assert.True(Watcher(survivor).Passes >= 1);
        }
        finally
        {
            if (!leader.HasExited)
                leader.Kill(entireProcessTree: true);
        }
    }

    private async Task<long> ScalarOrZeroAsync(string sql)
    {
        try
        {
            return await _database.ScalarAsync<long>(sql);
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0; // not migrated yet
        }
    }

}
