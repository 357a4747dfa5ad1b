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
