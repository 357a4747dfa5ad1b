using ChatBot.Core.Answering.Summaries;
using ChatBot.Core.Conversation.Commands.Sources;
using ChatBot.Core.Foundation.Text;
using ChatBot.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ChatBot.Tests.Summaries;

public sealed class SummaryTests
{

    public static TheoryData<string> SeedIds => new(Fixture.SeedFiles.Select(Path.GetFileNameWithoutExtension).Select(id => id!));

    [Theory]
    [MemberData(nameof(SeedIds))]
    public async Task Article_summary_is_three_to_five_of_its_own_sentences_and_no_boilerplate(string id)
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var article = (await bot.Store.GetArticleAsync(id, Ct))!;

        var reply = await bot.Services.GetRequiredService<Summarizer>().SummarizeAsync(id, Language.French, Ct);

        var header = $"Résumé de « {article.Title} » :";
        Assert.StartsWith(header, reply.Text, StringComparison.Ordinal);
        var body = reply.Text[header.Length..^" [1]".Length].Trim();
        var sentences = SentenceSplitter.Split(body).Select(s => s.Of(body)).ToList();
        Assert.InRange(sentences.Count, 3, 5);
        Assert.All(sentences, s => Assert.Contains(s, article.Text, StringComparison.Ordinal));
        Assert.Null(Boilerplate.FindIn(body));
        Assert.Equal(id, Assert.Single(reply.Citations).ArticleId);
        var positions = sentences.Select(s => article.Text.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.Equal(positions.Order(), positions); // in article order
    }

    [Fact]
    public async Task Topic_summary_cites_several_articles_each_with_its_own_sentence()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        var reply = await bot.Services.GetRequiredService<Summarizer>().SummarizeAsync("coopération militaire Russie Iran", Language.French, Ct);

        Assert.True(reply.Citations.Select(c => c.ArticleId).Distinct().Count() >= 2, reply.Text);
        foreach (var citation in reply.Citations)
        {
            var article = (await bot.Store.GetArticleAsync(citation.ArticleId, Ct))!;
            Assert.Contains(citation.Quote, article.Text, StringComparison.Ordinal);
            Assert.Contains($"« {citation.Quote} » [{citation.N}]", reply.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_topic_is_matched_as_a_concept_not_by_one_of_its_words()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        var reply = await bot.Services.GetRequiredService<Summarizer>().SummarizeAsync("défense aérienne", Language.French, Ct);

        Assert.NotEmpty(reply.Citations);
        // Not the Air Force ("Force aérienne") nor the Defence ministry ("ministre de la Défense") alone.
        Assert.All(reply.Citations, c =>
        {
            var folded = TextFolding.Fold(c.Quote);
            Assert.Contains("defense", folded, StringComparison.Ordinal);
            Assert.Contains("aerienne", folded, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Title_words_pick_the_article_or_list_candidates_when_several_match()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var summarizer = bot.Services.GetRequiredService<Summarizer>();

        var one = await summarizer.SummarizeAsync("Poutine Khamenei Damas", Language.French, Ct);
        var several = await summarizer.SummarizeAsync("Poutine Iran", Language.French, Ct);

        Assert.Equal("001_fed1096211e3137f", Assert.Single(one.Citations).ArticleId);
        Assert.Empty(several.Citations);
        Assert.Contains("Plusieurs articles correspondent", several.Text, StringComparison.Ordinal);
        Assert.Contains("001_fed1096211e3137f", several.Text, StringComparison.Ordinal);
        Assert.Contains("004_d14a4ba0e42e9e1f", several.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_topic_is_declined_and_an_empty_one_gets_usage()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();
        var summarizer = bot.Services.GetRequiredService<Summarizer>();

        var unknown = await summarizer.SummarizeAsync("la photosynthèse des algues", Language.French, Ct);
        var empty = await summarizer.SummarizeAsync("  ", Language.French, Ct);

        Assert.Empty(unknown.Citations);
        Assert.Contains("ne permet pas de répondre", unknown.Text, StringComparison.Ordinal);
        Assert.Contains("/summary", empty.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sources_are_paginated_under_the_message_limit_and_list_every_article_once()
    {
        await using var bot = new TestBot(seedCorpus: false);
        File.WriteAllLines(bot.ArticlePath("lot.jsonl"), Enumerable.Range(1, 60).Select(i =>
            $$"""{"id": "art{{i:00}}", "title": "Article numéro {{i}} sur les relations entre Moscou et Téhéran", "source": "Agence {{i}}", "published": "2024-01-{{1 + i % 28:00}}", "text": "Texte {{i}} sur la diplomatie."}"""));
        await bot.SyncAsync();
        var sources = bot.Services.GetRequiredService<SourcesCatalog>();

        var first = await sources.PageAsync(1, 2000, Language.French, Ct);
        var pages = new List<string> { first.Text };
        var total = int.Parse(first.Text.Split('/')[1].Split(')')[0], System.Globalization.CultureInfo.InvariantCulture);
        for (var page = 2; page <= total; page++)
            pages.Add((await sources.PageAsync(page, 2000, Language.French, Ct)).Text);

        Assert.StartsWith("60 article(s) dans le corpus (page 1/", first.Text, StringComparison.Ordinal);
        Assert.True(total > 1);
        Assert.All(pages, p => Assert.True(p.Length <= 2000));
        Assert.Contains("Page suivante : /sources 2", first.Text, StringComparison.Ordinal);
        var listed = pages.SelectMany(p => p.Split('\n')).Where(l => l.StartsWith('•')).ToList();
        Assert.Equal(60, listed.Count);
        Assert.Equal(60, listed.Distinct().Count());
    }
}
