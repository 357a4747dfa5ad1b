using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Ingestion;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Ingestion;

public sealed class CorpusWatcherTests
{

    [Fact]
    public async Task While_the_host_runs_added_changed_and_deleted_files_are_applied_within_seconds()
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Corpus:WatchDebounceMs"] = "200";
        bot.Configure = builder => builder.AddCorpusWatcher();
        await bot.Host.StartAsync(Ct);
        var watcher = bot.Services.GetRequiredService<CorpusWatcherService>();
        await WaitUntil(() => watcher.Passes >= 1);

        bot.WriteArticle("nouveau.txt", "Un nouvel accord gazier entre Moscou et Téhéran\n\nLe géant Gazprom fournira vingt milliards de mètres cubes de gaz à l'Iran dès l'an prochain, selon le ministre iranien du Pétrole.\n");
        await WaitUntil(async () => (await bot.Store.GetArticleAsync("nouveau", Ct)) is not null);
        var reply = await bot.Answerer.AnswerAsync(new ChatRequest("Combien de gaz Gazprom fournira-t-il à l'Iran ?"), Ct);
        Assert.Equal("nouveau", reply.Citations[0].ArticleId);

        File.Delete(bot.ArticlePath("nouveau.txt"));
        await WaitUntil(async () => (await bot.Store.GetArticleAsync("nouveau", Ct)) is null);
    }

    private static async Task WaitUntil(Func<bool> condition) => await WaitUntil(() => Task.FromResult(condition()));

    private static Task WaitUntil(Func<Task<bool>> condition) => Eventually.WaitAsync(condition, "the change was applied");
}
