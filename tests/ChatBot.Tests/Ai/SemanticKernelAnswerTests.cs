using System.Text.Json.Nodes;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.OpenAi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatBot.Tests.Ai;

/// <summary>Answers through Semantic Kernel and the OpenAI connector, against a fake OpenAI-compatible server.</summary>
public sealed class SemanticKernelAnswerTests
{
    private const string Hamedan = "Dans quelle région de l'Iran se trouve Hamedan ?";

    private static async Task<(TestBot Bot, FakeOpenAi Llm)> StartAsync(Action<TestBot>? configure = null)
    {
        var llm = await FakeOpenAi.StartAsync();
        var bot = new TestBot();
        bot.Settings["ChatBot:Ai:Provider"] = "OpenAI";
        bot.Settings["ChatBot:Ai:Endpoint"] = llm.Endpoint;
        bot.Settings["ChatBot:Ai:ChatModel"] = "test-model";
        bot.Settings["ChatBot:Ai:ApiKey"] = "sk-test";
        bot.Settings["ChatBot:Ai:PromptsPath"] = Path.Combine(Fixture.Root, "prompts");
        bot.Settings["ChatBot:Ai:MaxRetries"] = "2";
        configure?.Invoke(bot);
        return (bot, llm);
    }

    /// <summary>The number the prompt gave to the passage of <paramref name="articleTitle"/>.</summary>
    private static int PassageNumber(JsonObject request, string articleTitle)
    {
        var user = request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!["content"]!.GetValue<string>();
        var line = user.Split('\n').First(l => l.StartsWith('[') && l.Contains(articleTitle, StringComparison.Ordinal));
        return int.Parse(line[1..line.IndexOf(']', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task The_request_carries_the_model_temperature_numbered_passages_and_the_question()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = r => $"Hamedan se trouve dans le nord-ouest de l'Iran [{PassageNumber(r, "La Russie n'utilisera plus")}].";

        await bot.AskAsync(Hamedan);

        var request = Assert.Single(llm.AnswerRequests).Body;
        Assert.Equal("test-model", request["model"]!.GetValue<string>());
        Assert.Equal(0, request["temperature"]!.GetValue<double>());
        var messages = request["messages"]!.AsArray();
        Assert.Equal("system", messages[0]!["role"]!.GetValue<string>());
        Assert.Contains("not in the corpus", messages[0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("français", messages[0]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var user = messages[^1]!["content"]!.GetValue<string>();
        Assert.Contains("[1] ", user, StringComparison.Ordinal);
        Assert.Contains("[2] ", user, StringComparison.Ordinal);
        Assert.Contains("Question: " + Hamedan, user, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Citations_are_mapped_to_articles_with_their_supporting_quote()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = r => $"Hamedan se trouve dans le nord-ouest de l'Iran [{PassageNumber(r, "La Russie n'utilisera plus")}].";

        var reply = await bot.AskAsync(Hamedan);

        Assert.True(reply.Grounded);
        Assert.Equal("Hamedan se trouve dans le nord-ouest de l'Iran [1].", reply.Text);
        var citation = Assert.Single(reply.Citations);
        Assert.Equal("000_47b6786323e8e5c6", citation.ArticleId);
        Assert.Contains("nord-ouest de l’Iran", citation.Quote, StringComparison.Ordinal);
        Assert.Empty(reply.Notes);
    }

    [Fact]
    public async Task Unknown_citation_numbers_are_removed_and_the_rest_renumbered()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = r => $"Hamedan est au nord-ouest de l'Iran [{PassageNumber(r, "La Russie n'utilisera plus")}][42]. Rien d'autre [0].";

        var reply = await bot.AskAsync(Hamedan);

        Assert.Equal("Hamedan est au nord-ouest de l'Iran [1]. Rien d'autre.", reply.Text);
        Assert.Single(reply.Citations);
    }

    [Fact]
    public async Task An_answer_without_a_valid_citation_falls_back_to_the_extractive_answer()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = _ => "Hamedan est sûrement quelque part en Iran [17].";

        var reply = await bot.AskAsync(Hamedan);

        Assert.True(reply.Grounded);
        Assert.StartsWith("D'après le corpus :", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("sûrement", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_in_the_corpus_declines_without_citation()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = _ => "not in the corpus";

        var reply = await bot.AskAsync("Quelles technologies militaires Moscou fournit-elle à Téhéran ?");

        Assert.False(reply.Grounded);
        Assert.Empty(reply.Citations);
        Assert.Contains("ne permet pas de répondre", reply.Text, StringComparison.Ordinal);
        Assert.Single(llm.AnswerRequests); // the decision was the model's, after seeing the passages
    }

    [Fact]
    public async Task A_429_is_retried_after_its_Retry_After()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.FailNext(new FakeOpenAi.Fault(429, RetryAfterSeconds: 1));
        llm.Reply = r => $"Au nord-ouest [{PassageNumber(r, "La Russie n'utilisera plus")}].";

        var reply = await bot.AskAsync(Hamedan);

        // The first call (the search-query rewrite) met the 429 and was tried again after Retry-After; then the answer.
        Assert.Equal("Au nord-ouest [1].", reply.Text);
        var calls = llm.Requests.Where(r => r.Path.EndsWith("chat/completions", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, calls.Count);
        Assert.True(FakeOpenAi.IsRewrite(calls[0].Body) && FakeOpenAi.IsRewrite(calls[1].Body));
        Assert.True(calls[1].At - calls[0].At >= TimeSpan.FromSeconds(0.9), $"retried after {(calls[1].At - calls[0].At).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task A_500_is_retried()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.FailNext(new FakeOpenAi.Fault(500));
        llm.Reply = r => $"Au nord-ouest [{PassageNumber(r, "La Russie n'utilisera plus")}].";

        var reply = await bot.AskAsync(Hamedan);

        Assert.Equal("Au nord-ouest [1].", reply.Text);
        Assert.Equal(3, llm.Requests.Count); // the rewrite, again after the 500, then the answer
    }

    [Theory]
    [InlineData("persistent 500")]
    [InlineData("hang")]
    [InlineData("malformed JSON")]
    public async Task A_provider_failure_returns_the_extractive_answer_with_a_note(string failure)
    {
        var (bot, llm) = await StartAsync(b =>
        {
            b.Settings["ChatBot:Ai:TimeoutSeconds"] = "1";
            b.Settings["ChatBot:Ai:MaxRetries"] = "0";
        });
        await using var _b = bot;
        await using var _l = llm;
        llm.FailNext(failure switch
        {
            "persistent 500" => new FakeOpenAi.Fault(500),
            "hang" => new FakeOpenAi.Fault(Hang: TimeSpan.FromSeconds(20)),
            _ => new FakeOpenAi.Fault(200, Body: "{\"choices\": [ this is not json"),
        });
        var started = DateTime.UtcNow;

        var reply = await bot.AskAsync(Hamedan);

        Assert.True(reply.Grounded);
        Assert.Contains("nord-ouest", reply.Text, StringComparison.Ordinal);
        Assert.Contains("modèle de langage est indisponible", Assert.Single(reply.Notes), StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        // The model failed on the first call of this question: it is not waited on a second time.
        Assert.Single(llm.Requests);
    }

    [Fact]
    public async Task A_model_that_never_replies_costs_one_answer_deadline_then_the_extractive_answer_goes_out_with_one_warning()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var logs = new CapturedLogs();
        var (bot, llm) = await StartAsync(b =>
        {
            b.Settings["ChatBot:Ai:MaxRetries"] = "3"; // 4 tries × 30 s without the deadline
            b.Configure = builder =>
            {
                builder.Services.AddSingleton<TimeProvider>(time);
                builder.Logging.AddProvider(logs);
            };
        });
        await using var _b = bot;
        await using var _l = llm;
        for (var i = 0; i < 4; i++)
            llm.FailNext(new FakeOpenAi.Fault(Hang: TimeSpan.FromMinutes(10)));
        await bot.SyncAsync();

        var answering = bot.Answerer.AnswerAsync(new ChatBot.Core.Answering.Chat.ChatRequest(Hamedan), TestContext.Current.CancellationToken);
        await FakeBotApiWait(() => llm.Requests.Count >= 1);
        Assert.False(answering.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(20)); // the answer's deadline, on the bot's clock
        var reply = await answering.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(reply.Grounded);
        Assert.Contains("nord-ouest", reply.Text, StringComparison.Ordinal);
        Assert.Contains("modèle de langage est indisponible", Assert.Single(reply.Notes), StringComparison.Ordinal);
        var warning = Assert.Single(logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning && e.Message.StartsWith("Language model unavailable", StringComparison.Ordinal));
        Assert.Contains("deadline of 20 s", warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", warning.Message, StringComparison.Ordinal); // one line, no stack trace
    }

    private static Task FakeBotApiWait(Func<bool> condition) => Support.Telegram.FakeBotApi.WaitForAsync(condition, "the model asked");

    [Fact]
    public async Task An_english_question_is_rewritten_into_a_french_query_and_the_offline_test_does_not_decline_before_the_model()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Rewrite = _ => "De quelle base aérienne iranienne les bombardiers russes ont-ils décollé ?";
        llm.Reply = r => $"From Hamedan [{PassageNumber(r, "La Russie n'utilisera plus")}].";

        // Offline, nothing of this reads as the corpus's words: the extractive bot would decline it.
        var reply = await bot.AskAsync("Whence did Moscow's heavy flyers depart, mate?");

        var rewrite = llm.Requests.First(r => FakeOpenAi.IsRewrite(r.Body)).Body;
        Assert.Contains("Whence did Moscow's heavy flyers depart", FakeOpenAi.MessageOf(rewrite), StringComparison.Ordinal);
        var answer = Assert.Single(llm.AnswerRequests).Body["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        Assert.Contains("La Russie n'utilisera plus de base iranienne", answer, StringComparison.Ordinal);
        Assert.Contains("Question: Whence did Moscow", answer, StringComparison.Ordinal);
        Assert.True(reply.Grounded);
        Assert.Equal("000_47b6786323e8e5c6", reply.Citations[0].ArticleId);
    }
}
