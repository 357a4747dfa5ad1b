using System.Text;
using ChatBot.Core.Answering.Chat;
using ChatBot.Discord.Bot;
using ChatBot.Telegram.Sending;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.Telegram;
using ChatBot.Tests.Telegram;

namespace ChatBot.Tests.Hostile;

/// <summary>
/// Property tests with a fixed seed and a bounded count: strange questions and strange corpus files never crash
/// anything, and every reply stays within the platform's limits and markup rules.
/// </summary>
public sealed class HostileInputTests
{
    private const int Seed = 20261122;

    private static readonly string[] Pieces =
    [
        "😀", "👨‍👩‍👧‍👦", "\u200B", "\u200D", "\u202E", "\u2066", "שלום", "مرحبا", "é", "e\u0301\u0301\u0301", "@everyone", "@here",
        "<b>", "</b>", "<script>alert(1)</script>", "&amp;", "&", "<", ">", "**gras**", "`code`", "||spoiler||", "[lien](http://x)",
        "<@123456>", "<@&789>", "\n", "\r\n", "\t", "Iran", "Poutine", "Hamedan", "?", "\uFFFD", "\u0000", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "\uD83D", "\uDE00", "en 2015", "depuis juin", "cette semaine", "le dernier article",
    ];

    public static string RandomQuestion(Random random)
    {
        var text = new StringBuilder();
        var parts = random.Next(1, 40);
        for (var i = 0; i < parts; i++)
        {
            text.Append(random.Next(4) == 0 ? (char)random.Next(0x20, 0xD7FF) : Pieces[random.Next(Pieces.Length)]);
            if (random.Next(3) == 0)
                text.Append(' ');
        }
        return text.ToString();
    }

    [Fact]
    public async Task Random_questions_never_crash_and_every_reply_renders_within_both_platforms_limits()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var random = new Random(Seed);
        var questions = Enumerable.Range(0, 150).Select(_ => RandomQuestion(random)).ToList();
        questions.Add(string.Concat(Enumerable.Repeat("Iran @everyone <b>😀</b> ", 2800))); // ~64 KB
        questions.Add("Dans quelle région de l'Iran se trouve Hamedan ? <b>@everyone</b> & **x**");

        foreach (var question in questions)
        {
            var reply = await bot.Answerer.AnswerAsync(new ChatRequest(question), Ct);

            Assert.False(string.IsNullOrWhiteSpace(reply.Text));
            foreach (var message in TelegramHtml.Render(reply))
            {
                var (visible, error) = TelegramHtmlValidator.Parse(message);
                Assert.True(error is null, $"{error} in: {message}");
                Assert.InRange(visible!.Length, 1, 4096);
            }
            foreach (var message in DiscordReplyRenderer.Render(reply))
                Assert.InRange(message.Content!.Length, 1, 2000);
        }
    }

    [Fact]
    public async Task Random_bytes_and_odd_text_as_corpus_files_are_reported_while_the_real_articles_are_indexed()
    {
        await using var bot = new TestBot();
        var random = new Random(Seed);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[random.Next(1, 20_000)];
            random.NextBytes(bytes);
            File.WriteAllBytes(bot.ArticlePath($"bruit-{i}.txt"), bytes);
        }
        for (var i = 0; i < 10; i++)
        {
            var random2 = new Random(Seed + i);
            // A file cannot hold half a surrogate pair: the writer replaces it, as any editor would.
            File.WriteAllText(bot.ArticlePath($"texte-{i}.md"), string.Concat(Enumerable.Range(0, random2.Next(1, 300)).Select(_ => RandomQuestion(random2))), new UTF8Encoding(false, false));
        }
        File.WriteAllText(bot.ArticlePath("lignes.jsonl"), "{\"id\":1}\n[]\n\"texte\"\n{\"id\":\"x\",\"text\":null}\n{\"id\":\"ok\",\"title\":\"Titre\",\"text\":\"Un vrai texte sur Moscou et Téhéran.\"}\n");

        var report = await bot.SyncAsync();
        var reply = await bot.AskAsync("Dans quelle région de l'Iran se trouve Hamedan ?");

        foreach (var seed in Fixture.SeedFiles.Select(Path.GetFileNameWithoutExtension))
            Assert.NotNull(await bot.Store.GetArticleAsync(seed!, Ct));
        Assert.NotNull(await bot.Store.GetArticleAsync("ok", Ct));
        Assert.True(report.Warnings.Count >= 20, $"{report.Warnings.Count} warnings");
        Assert.Equal("000_47b6786323e8e5c6", reply.Citations[0].ArticleId);
    }

    [Fact]
    public async Task Hostile_messages_through_telegram_each_get_a_valid_reply()
    {
        await using var t = await TelegramHarness.StartAsync(bot =>
        {
            bot.Settings["ChatBot:Controls:UserQuestionsPerMinute"] = "1000"; // this is about input, not quotas or backlogs
            bot.Settings["ChatBot:Controls:ChannelQuestionsPerMinute"] = "1000";
            bot.Settings["ChatBot:Controls:MaxQueuedPerChat"] = "1000";
        });
        var random = new Random(Seed);
        var questions = Enumerable.Range(0, 25).Select(_ => RandomQuestion(random)).Where(q => q.Trim().Length > 0 && !q.TrimStart().StartsWith('/')).ToList();

        var ids = questions.Select(question => t.Api.Send(42, question)).ToList();
        var help = t.Api.Send(42, "/help"); // one chat is handled in order: this reply comes after all the others
        await FakeBotApi.WaitForAsync(() => t.Api.Sent.Any(s => s.Body["reply_parameters"]?["message_id"]?.GetValue<int>() == help), "the reply after the hostile ones");
        var sent = t.Api.Sent.Where(s => s.Body["reply_parameters"]?["message_id"]?.GetValue<int>() != help).ToList();

        Assert.Equal(ids, sent.Select(s => s.Body["reply_parameters"]!["message_id"]!.GetValue<int>()).Distinct());
        Assert.All(sent, s => Assert.Null(TelegramHtmlValidator.Parse(s.Body["text"]!.GetValue<string>()).Error));
    }
}
