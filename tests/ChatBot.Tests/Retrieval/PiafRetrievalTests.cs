using System.Text.Json;
using ChatBot.Core.Retrieval;
using ChatBot.Evaluation;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Retrieval;

/// <summary>
/// Retrieval quality guard on the PIAF development split (1,518 French Wikipedia paragraphs, 1,220 questions). SQLite
/// FTS5 bm25() alone scores recall@5 0.878 and MRR@10 0.806 there; the hybrid retriever must not fall below it.
/// </summary>
public sealed class PiafRetrievalTests
{
    [Fact]
    public async Task Hybrid_retrieval_beats_the_fts5_baseline_on_piaf_dev()
    {
        await using var bot = new TestBot(seedCorpus: false);
        bot.Settings["ChatBot:Corpus:Path"] = Fixture.Eval("piaf-corpus.jsonl");
        var report = await bot.SyncAsync();
        var questions = JsonSerializer.Deserialize<List<EvalQuestion>>(File.ReadAllText(Fixture.Eval("piaf-dev-questions.json")))!;

        var scores = await RetrievalEvaluation.RunAsync(bot.Retriever, new RetrievalOptions().MinCoverage, questions, TestContext.Current.CancellationToken);

        Assert.Equal(1518, report.Added);
        Assert.True(scores.RecallAt5 > 0.878, $"recall@5 {scores.RecallAt5:0.000}");
        Assert.True(scores.MrrAt10 > 0.806, $"MRR@10 {scores.MrrAt10:0.000}");
        Assert.True(scores.DeclinedShare < 0.05, $"declined {scores.DeclinedShare:0.000} of answerable questions");
    }
}

/// <summary>The PostgreSQL store (french tsvector, BM25 in SQL) must retrieve as well as the embedded one.</summary>
public sealed class PiafStoreParityTests
{
    [Fact]
    public async Task Postgres_and_sqlite_score_the_same_recall_at_5_on_piaf_dev()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var questions = JsonSerializer.Deserialize<List<EvalQuestion>>(File.ReadAllText(Fixture.Eval("piaf-dev-questions.json")))!;

        var sqlite = await ScoreAsync(questions, null);
        var postgres = await ScoreAsync(questions, database.ConnectionString);

        TestContext.Current.SendDiagnosticMessage($"recall@5 sqlite {sqlite.RecallAt5:0.000}, postgres {postgres.RecallAt5:0.000}");
        Assert.True(Math.Abs(sqlite.RecallAt5 - postgres.RecallAt5) <= 0.01, $"recall@5 sqlite {sqlite.RecallAt5:0.000}, postgres {postgres.RecallAt5:0.000}");
        Assert.True(postgres.MrrAt10 > 0.806, $"MRR@10 on PostgreSQL {postgres.MrrAt10:0.000}");
    }

    private static async Task<RetrievalScores> ScoreAsync(List<EvalQuestion> questions, string? postgres)
    {
        await using var bot = new TestBot(seedCorpus: false);
        if (postgres is not null)
            bot.UsePostgres(postgres, "eval");
        bot.Settings["ChatBot:Corpus:Path"] = Fixture.Eval("piaf-corpus.jsonl");
        Assert.Equal(1518, (await bot.SyncAsync()).Added);
        return await RetrievalEvaluation.RunAsync(bot.Retriever, new RetrievalOptions().MinCoverage, questions, TestContext.Current.CancellationToken);
    }
}
