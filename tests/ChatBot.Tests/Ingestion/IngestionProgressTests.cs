using ChatBot.Core.Ingestion;
using ChatBot.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Ingestion;

public sealed class IngestionProgressTests
{
    [Fact]
    public async Task A_long_pass_reports_progress_to_the_caller_and_as_plain_log_lines()
    {
        await using var bot = new TestBot(seedCorpus: false);
        var logs = new CapturedLogs();
        bot.Configure = builder => builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Information);
        bot.Settings["Logging:LogLevel:Default"] = "Information";
        var lines = Enumerable.Range(1, 600).Select(i => $$"""{"id": "a{{i}}", "title": "Article {{i}}", "text": "Le texte numéro {{i}} parle de la coopération entre Moscou et Téhéran."}""");
        File.WriteAllLines(bot.ArticlePath("lot.jsonl"), lines);
        var reports = new List<IngestionProgress>();

        await bot.Ingester.SyncAsync(new SynchronousProgress(reports.Add), TestContext.Current.CancellationToken);

        Assert.Equal(new IngestionProgress(0, 600, null), reports[0]);
        Assert.Equal((600, 600), (reports[^1].Done, reports[^1].Total));
        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.First.Done <= p.Second.Done));
        Assert.Contains(logs.Entries, e => e.Message.StartsWith("Indexing: 512/600", StringComparison.Ordinal));
    }

    private sealed class SynchronousProgress(Action<IngestionProgress> report) : IProgress<IngestionProgress>
    {
        public void Report(IngestionProgress value) => report(value);
    }
}
