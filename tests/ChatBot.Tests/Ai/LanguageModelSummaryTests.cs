using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Digest;
using ChatBot.Core.Foundation.Text;
using ChatBot.Tests.Support;
using ChatBot.Tests.Support.OpenAi;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Ai;

/// <summary>With a language model, summaries and digests come from prompts/summary.md and prompts/digest.md.</summary>
public sealed class LanguageModelSummaryTests
{

    private static async Task<(TestBot Bot, FakeOpenAi Llm)> StartAsync()
    {
        var llm = await FakeOpenAi.StartAsync();
        var bot = new TestBot();
        bot.Settings["ChatBot:Ai:Provider"] = "OpenAI";
        bot.Settings["ChatBot:Ai:Endpoint"] = llm.Endpoint;
        bot.Settings["ChatBot:Ai:ChatModel"] = "test-model";
        bot.Settings["ChatBot:Ai:PromptsPath"] = Path.Combine(Fixture.Root, "prompts");
        bot.Settings["ChatBot:Ai:MaxRetries"] = "0";
        bot.Settings["ChatBot:Ai:TimeoutSeconds"] = "2";
        await bot.SyncAsync();
        return (bot, llm);
    }

    /// <summary>The number of the passage, in the prompt, whose text contains <paramref name="phrase"/>.</summary>
    private static int PassageHolding(System.Text.Json.Nodes.JsonObject request, string phrase)
    {
        var user = request["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        var number = 0;
        foreach (var line in user.Split('\n'))
        {
            var header = System.Text.RegularExpressions.Regex.Match(line, @"^\[(\d+)\] ");
            if (header.Success)
                number = int.Parse(header.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            else if (number > 0 && line.Contains(phrase, StringComparison.Ordinal))
                return number;
        }
        throw new InvalidOperationException($"no passage holds '{phrase}'");
    }

    private static string SystemPrompt(FakeOpenAi llm) => llm.Requests[^1].Body["messages"]![0]!["content"]!.GetValue<string>();

    [Fact]
    public async Task An_article_summary_is_written_from_the_summary_prompt_and_cited()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = r => $"Poutine affirme que l'Iran n'a pas demandé d'aide militaire [1]. Moscou fournit pourtant des systèmes de guerre électronique [{PassageHolding(r, "guerre électronique")}][9].";

        var reply = await bot.Services.GetRequiredService<Summarizer>().SummarizeAsync("004_d14a4ba0e42e9e1f", Language.French, Ct);

        Assert.Contains("You summarise news articles", SystemPrompt(llm), StringComparison.Ordinal);
        Assert.StartsWith("Résumé de « Poutine : L'Iran n'a pas demandé d'aide militaire à la Russie » : Poutine affirme", reply.Text, StringComparison.Ordinal);
        Assert.EndsWith("guerre électronique [2].", reply.Text, StringComparison.Ordinal); // renumbered by first use
        Assert.All(reply.Citations, c => Assert.Equal("004_d14a4ba0e42e9e1f", c.ArticleId));
        Assert.Contains("guerre électronique", reply.Citations[1].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_model_gives_the_extractive_summary_with_a_note()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.FailNext(new FakeOpenAi.Fault(503));

        var reply = await bot.Services.GetRequiredService<Summarizer>().SummarizeAsync("coopération militaire Russie Iran", Language.French, Ct);

        Assert.StartsWith("Ce que le corpus dit de « coopération militaire Russie Iran » : « ", reply.Text, StringComparison.Ordinal);
        Assert.Contains("modèle de langage est indisponible", Assert.Single(reply.Notes), StringComparison.Ordinal);
        Assert.True(reply.Citations.Count >= 2);
    }

    [Fact]
    public async Task The_digest_is_written_from_the_digest_prompt_over_the_new_articles()
    {
        var (bot, llm) = await StartAsync();
        await using var _b = bot;
        await using var _l = llm;
        llm.Reply = _ => "Washington veut une plus grande implication russe contre l'EI [1]. Téhéran n'a rien demandé à Moscou [2].";

        var digest = await bot.Services.GetRequiredService<DigestBuilder>().BuildAsync(DateTimeOffset.UtcNow.AddDays(-1), 10, Language.French, Ct);

        Assert.Contains("You write the daily digest", SystemPrompt(llm), StringComparison.Ordinal);
        Assert.StartsWith("Nouveaux articles depuis le", digest.Text, StringComparison.Ordinal);
        Assert.Contains("Washington veut une plus grande implication russe contre l'EI [1].", digest.Text, StringComparison.Ordinal);
        Assert.Equal(2, digest.Citations.Count);
        var user = llm.Requests[^1].Body["messages"]![1]!["content"]!.GetValue<string>();
        Assert.Contains("[5] ", user, StringComparison.Ordinal);
    }
}

public sealed class LanguageModelRewriteTests
{
    [Fact]
    public async Task A_follow_up_is_rewritten_by_the_rewrite_prompt_before_retrieval()
    {
        await using var llm = await FakeOpenAi.StartAsync();
        await using var bot = new TestBot();
        bot.Settings["ChatBot:Ai:Provider"] = "OpenAI";
        bot.Settings["ChatBot:Ai:Endpoint"] = llm.Endpoint;
        bot.Settings["ChatBot:Ai:ChatModel"] = "test-model";
        bot.Settings["ChatBot:Ai:PromptsPath"] = Path.Combine(Fixture.Root, "prompts");
        await bot.SyncAsync();
        llm.Rewrite = _ => "Dans quelle région de l'Iran se trouve la base aérienne de Hamedan ?";
        llm.Reply = _ => "not in the corpus";

        var reply = await bot.Answerer.AnswerAsync(new ChatBot.Core.Answering.Chat.ChatRequest("Et où ça ?")
        {
            History = [new ChatBot.Core.Answering.Chat.ChatTurn("D'où décollaient les bombardiers russes ?", "De Hamedan [1].")],
        }, TestContext.Current.CancellationToken);

        var rewrite = llm.Requests[0].Body["messages"]!.AsArray();
        Assert.True(FakeOpenAi.IsRewrite(llm.Requests[0].Body));
        Assert.Contains("D'où décollaient les bombardiers russes ?", rewrite[^1]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        var answerPrompt = llm.Requests[1].Body["messages"]!.AsArray()[^1]!["content"]!.GetValue<string>();
        Assert.Contains("La Russie n'utilisera plus de base iranienne", answerPrompt, StringComparison.Ordinal);
        Assert.False(reply.Grounded); // the fake model then says "not in the corpus": it is still the model that answers
    }
}
