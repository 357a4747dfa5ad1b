using System.Text;
using ChatBot.Core.Ingestion;
using ChatBot.Core.Ingestion.Corpus;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Ingestion;

/// <summary>A .jsonl file past <c>ReadWholeMaxBytes</c> is read line by line, never held whole, with the same outcome.</summary>
public sealed class StreamedCorpusTests
{
    private static readonly string[] Lines =
    [
        """{"id": "a1", "title": "Gaz", "text": "Gazprom a signé un accord de 40 milliards avec la NIOC.", "published": "2022-07-19", "source": "Le Monde"}""",
        "{oops",
        """{"id": "a2", "title": "Bouchehr", "text": "Rosatom achève la centrale de Bouchehr."}""",
        """{"id": "a1", "title": "Doublon", "text": "Une autre ligne avec le même identifiant."}""",
        """{"id": "a3", "title": "Rapport", "text": "{{LONG}}"}""",
    ];

    private static string Corpus() => string.Join('\n', Lines).Replace("{{LONG}}", string.Concat(Enumerable.Repeat("Le Kremlin publie un rapport. ", 300)), StringComparison.Ordinal);

    [Fact]
    public async Task A_large_file_read_in_parts_gives_the_articles_and_warnings_of_one_read_whole()
    {
        await using var whole = new TestBot(seedCorpus: false);
        await using var parts = new TestBot(seedCorpus: false);
        foreach (var bot in new[] { whole, parts })
        {
            bot.Settings["ChatBot:Corpus:MaxArticleChars"] = "1000";
            File.WriteAllText(bot.ArticlePath("lot.jsonl"), Corpus());
        }
        parts.Settings["ChatBot:Corpus:ReadWholeMaxBytes"] = "100"; // the file is ~9 KB

        var expected = await whole.SyncAsync();
        var report = await parts.SyncAsync();

        Assert.Equal(3, report.Added);
        Assert.Equal(expected.Warnings.Select(w => (w.Path, w.Message)).Order(), report.Warnings.Select(w => (w.Path, w.Message)).Order());
        Assert.Contains(report.Warnings, w => w.Path == "lot.jsonl:2");
        Assert.Contains(report.Warnings, w => w.Path == "lot.jsonl:4" && w.Message.Contains("duplicate", StringComparison.Ordinal));
        Assert.Contains(report.Warnings, w => w.Message.Contains("MaxArticleChars", StringComparison.Ordinal));
        foreach (var id in new[] { "a1", "a2", "a3" })
        {
            var want = await whole.Store.GetArticleAsync(id, TestContext.Current.CancellationToken);
            var got = await parts.Store.GetArticleAsync(id, TestContext.Current.CancellationToken);
            Assert.NotNull(got);
            Assert.Equal((want!.Title, want.Text, want.ContentHash, want.Published, want.Source), (got.Title, got.Text, got.ContentHash, got.Published, got.Source));
        }
        Assert.Equal(0, (await parts.SyncAsync()).Added); // unchanged: its fingerprint was recorded
    }

    [Fact]
    public void The_reader_lists_a_large_file_and_holds_none_of_its_texts()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "lot.jsonl");
        File.WriteAllText(path, Corpus());
        var reader = new CorpusReader([new JsonLinesFormat()], new CorpusOptions { ReadWholeMaxBytes = 100, MaxArticleChars = 1000 });
        var file = reader.ListFiles(folder.Path).Single();

        var parsed = reader.Read(file);

        Assert.Empty(parsed.Documents);
        Assert.NotNull(parsed.Streamed);
        Assert.Equal(["a1", "a2", "a3"], parsed.Keys.Select(k => k.Id));
        Assert.Equal(["a1", "a2", "a3"], parsed.Streamed.Read().Select(d => d.Id));
        Assert.Equal(1000, parsed.Streamed.Read().Last().RawText.Length); // cut on the second reading too
        Assert.Null(parsed.Streamed.Interrupted);
    }

    [Fact]
    public async Task A_file_spoiled_between_its_two_readings_keeps_what_was_read_and_is_read_again_next_pass()
    {
        await using var bot = new TestBot(seedCorpus: false);
        bot.Settings["ChatBot:Corpus:ReadWholeMaxBytes"] = "100";
        var path = bot.ArticlePath("lot.jsonl");
        var good = string.Join('\n', Enumerable.Range(1, 40).Select(i => $$"""{"id": "a{{i}}", "title": "Article {{i}}", "text": "Le texte numéro {{i}} parle de Moscou et de Téhéran."}"""));
        File.WriteAllText(path, good);
        // Listed, then (at the first progress report, before the second reading) an invalid byte replaces line 21's text.
        var spoiled = Encoding.UTF8.GetBytes(good);
        var at = Encoding.UTF8.GetByteCount(good[..good.IndexOf("numéro 21", StringComparison.Ordinal)]);
        spoiled[at] = 0xFF;
        var progress = new SpoilOnce(() => File.WriteAllBytes(path, spoiled));

        var first = await bot.Ingester.SyncAsync(progress, TestContext.Current.CancellationToken);

        Assert.Equal(20, first.Added); // the lines before the bad byte
        var warning = Assert.Single(first.Warnings);
        Assert.Equal("lot.jsonl", warning.Path);
        Assert.Contains("read again next pass", warning.Message, StringComparison.Ordinal);
        File.WriteAllText(path, good); // mended, with the listing's size and content
        var second = await bot.SyncAsync();
        Assert.Equal((20, 20), (second.Added, second.Unchanged));
    }

    private sealed class SpoilOnce(Action spoil) : IProgress<IngestionProgress>
    {
        private bool _done;

        public void Report(IngestionProgress value)
        {
            if (!_done)
                spoil();
            _done = true;
        }
    }
}
