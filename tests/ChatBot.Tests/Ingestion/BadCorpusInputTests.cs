using ChatBot.Core.Ingestion;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Ingestion;

public sealed class BadCorpusInputTests
{
    [Fact]
    public async Task Unusable_files_are_skipped_with_a_warning_naming_each_while_the_rest_is_indexed()
    {
        await using var bot = new TestBot();
        File.WriteAllBytes(bot.ArticlePath("binary.txt"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A, 0x0A, 0x00, 0x42]);
        File.WriteAllBytes(bot.ArticlePath("latin1.txt"), [0x43, 0x61, 0x66, 0xE9, 0x20, 0xE0, 0x20, 0x50, 0x61, 0x72, 0x69, 0x73, 0x2E]);
        File.WriteAllText(bot.ArticlePath("empty.txt"), "");
        File.WriteAllText(bot.ArticlePath("blank.md"), "   \n\n  ");
        File.WriteAllText(bot.ArticlePath("broken.jsonl"), "{\"id\": \"ok1\", \"title\": \"Bon\", \"text\": \"Une ligne valide sur la diplomatie russe et iranienne.\"}\n{oops\n");

        var report = await bot.SyncAsync();

        Assert.Equal(6, report.Added); // the five seed articles and the valid JSONL line
        Assert.Contains(report.Warnings, w => w.Path == "binary.txt" && w.Message.Contains("binary", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Path == "latin1.txt" && w.Message.Contains("UTF-8", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Path == "empty.txt" && w.Message.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Path == "blank.md" && w.Message.Contains("no text", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Path == "broken.jsonl:2");
    }

    [Fact]
    public async Task An_unusable_file_is_warned_about_once_per_version_not_on_every_pass()
    {
        await using var bot = new TestBot();
        File.WriteAllBytes(bot.ArticlePath("binary.txt"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A, 0x0A, 0x00, 0x42]);

        var first = await bot.SyncAsync();
        var second = await bot.SyncAsync();
        await bot.RestartAsync(); // a new process (another `ask`) reads the same database
        var third = await bot.SyncAsync();
        File.WriteAllBytes(bot.ArticlePath("binary.txt"), [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x1A, 0x0A, 0x00, 0x43]);
        var changed = await bot.SyncAsync();

        Assert.Single(first.Warnings, w => w.Path == "binary.txt");
        Assert.Empty(second.Warnings);
        Assert.Empty(third.Warnings);
        Assert.Single(changed.Warnings, w => w.Path == "binary.txt"); // a new version: a new warning
        Assert.Equal(5, changed.Unchanged);
    }

    [Theory]
    [InlineData("court.md", "# Rencontre à Téhéran\n\nPoutine a rencontré Raïssi à Téhéran le 19 juillet 2022.\n", "court")]
    [InlineData("court.jsonl", "{\"id\": \"j1\", \"title\": \"Gaz\", \"text\": \"Gazprom a signé un accord de 40 milliards avec la NIOC.\"}\n", "j1")]
    [InlineData("court.txt", "Une phrase\n\nLa Russie a livré des S-300 à l'Iran en 2016.", "court")]
    public async Task A_one_sentence_article_is_still_an_article(string file, string content, string id)
    {
        await using var bot = new TestBot();
        File.WriteAllText(bot.ArticlePath(file), content);

        var report = await bot.SyncAsync();

        Assert.Empty(report.Warnings);
        Assert.Equal(6, report.Added);
        var article = await bot.Store.GetArticleAsync(id, TestContext.Current.CancellationToken);
        Assert.NotNull(article);
        Assert.EndsWith(".", article.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("#", article.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_10_MB_article_is_cut_with_a_warning_and_indexed()
    {
        await using var bot = new TestBot();
        var sentence = "Le Kremlin a publié un long rapport sur la coopération énergétique avec Téhéran. ";
        File.WriteAllText(bot.ArticlePath("huge.txt"), "Un rapport interminable du Kremlin\n\n" + string.Concat(Enumerable.Repeat(sentence, 10 * 1024 * 1024 / sentence.Length)));

        var report = await bot.SyncAsync();

        Assert.Equal(6, report.Added);
        var warning = Assert.Single(report.Warnings);
        Assert.Equal("huge.txt", warning.Path);
        Assert.Contains("MaxArticleChars", warning.Message, StringComparison.Ordinal);
        var article = await bot.Store.GetArticleAsync("huge", TestContext.Current.CancellationToken);
        Assert.NotNull(article);
        Assert.True(article.Text.Length <= 200_000);
    }

    [Fact]
    public async Task A_file_over_the_size_limit_is_skipped_by_name()
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Corpus:MaxFileBytes"] = "4096";
        File.WriteAllText(bot.ArticlePath("big.txt"), new string('a', 5000));

        var report = await bot.SyncAsync();

        Assert.Contains(report.Warnings, w => w.Path == "big.txt" && w.Message.Contains("MaxFileBytes", StringComparison.Ordinal));
        Assert.Equal(5, report.Added);
    }

    [Fact]
    public async Task A_file_that_becomes_unreadable_keeps_its_previous_version()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        var path = bot.ArticlePath("003_0192d13fbff41adc.txt");
        File.WriteAllBytes(path, [0xFF, 0xFE, 0x00, 0x41]);
        var report = await bot.SyncAsync();

        Assert.Equal(0, report.Removed);
        Assert.NotNull(await bot.Store.GetArticleAsync("003_0192d13fbff41adc", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Empty_corpus_folder_is_reported_not_an_error()
    {
        await using var bot = new TestBot(seedCorpus: false);

        var report = await bot.SyncAsync();
        var reply = await bot.Answerer.AnswerAsync(new("Qui est Poutine ?"), TestContext.Current.CancellationToken);

        Assert.Equal(0, report.Files);
        Assert.False(reply.Grounded);
        Assert.Contains("Aucun article", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_corpus_folder_names_the_folder_and_the_setting()
    {
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Corpus:Path"] = Path.Combine(bot.Root, "nowhere");

        var error = await Assert.ThrowsAsync<CorpusNotFoundException>(bot.SyncAsync);

        Assert.Contains("nowhere", error.Message, StringComparison.Ordinal);
        Assert.Contains("ChatBot:Corpus:Path", error.Message, StringComparison.Ordinal);
    }
}
