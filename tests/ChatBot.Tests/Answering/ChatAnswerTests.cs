using ChatBot.Core.Answering;
using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Answering;

/// <summary>Real chat questions on the seed corpus, through the whole bot, offline.</summary>
public sealed class ChatAnswerTests
{

    [Theory]
    [InlineData("Bonjour, pourriez-vous me dire quand a commencé le conflit entre Israël et l'Iran ? Merci d'avance", "004_d14a4ba0e42e9e1f", "13 juin")]
    [InlineData("<script>alert(1)</script> & que dit-on de Hamedan ?", "000_47b6786323e8e5c6", "Hamedan")]
    [InlineData("Hosein Dehgan", "002_4fced6dc993173a8", "Dehghan")]
    [InlineData("coalitoin", "003_0192d13fbff41adc", "coalition")]
    [InlineData("Which Russian aircraft took off from Hamedan?", "000_47b6786323e8e5c6", "Su-34")]
    [InlineData("Who received Putin in Tehran?", "001_fed1096211e3137f", "Khamenei")]
    [InlineData("choigou a parlé de la syrie ?", "002_4fced6dc993173a8", "pas pour autant évoqué la Syrie")]
    public async Task Chat_questions_find_their_article_and_quote_the_answer(string question, string article, string expected)
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync(question);

        Assert.True(reply.Grounded, reply.Text);
        Assert.Equal(article, reply.Citations[0].ArticleId);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_greeting_gets_a_greeting_and_what_to_ask_not_a_decline()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Bonjour !");

        Assert.False(reply.Grounded);
        Assert.Empty(reply.Citations);
        Assert.StartsWith("Bonjour ! Posez-moi une question", reply.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Quel âge a Khamenei ?", "86 ans")]
    [InlineData("Which Russian aircraft took off from Hamedan?", "Su-34")]
    public async Task A_clear_short_answer_leads_in_bold_before_its_quote(string question, string shortAnswer)
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync(question);

        Assert.Equal(shortAnswer, reply.ShortAnswer);
        Assert.StartsWith($"**{shortAnswer}** — « ", reply.Text, StringComparison.Ordinal);
        Assert.Contains(shortAnswer, reply.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_sentence_quoted_is_the_one_with_the_answer_read_with_its_neighbours()
    {
        await using var bot = new TestBot();

        var quantity = await bot.AskAsync("Combien de militaires russes pourraient se trouver en Syrie ?");
        var denial = await bot.AskAsync("Que répond la Défense russe aux informations sur un déploiement d'avions en Syrie ?");

        Assert.Contains("plusieurs milliers", quantity.Citations[0].Quote, StringComparison.Ordinal);
        // The denial is a quotation over two sentences, the attribution in the second: it is read whole.
        Assert.Contains("Aucune délocalisation", denial.Citations[0].Quote, StringComparison.Ordinal);
        Assert.Contains("département russe de la Défense", denial.Citations[0].Quote, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Qui est le ministre israélien de la Défense ?")]
    public async Task A_missing_constraint_is_said_plainly_with_the_closest_passage_only_as_related_reading(string question)
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync(question);

        Assert.False(reply.Grounded);
        Assert.StartsWith("Le corpus ne le dit pas ; il mentionne seulement, à titre de lecture connexe : « ", reply.Text, StringComparison.Ordinal);
        Assert.Null(reply.ShortAnswer);
        Assert.Single(reply.Citations);
    }

    [Theory]
    [InlineData("Quel est le budget militaire annuel de l'Iran ?")]
    [InlineData("What is Hezbollah's position on the S-400 deal with Turkey?")]
    [InlineData("Quel temps fait-il à Téhéran aujourd'hui ?")]
    public async Task Near_topic_questions_the_corpus_does_not_answer_are_declined(string question)
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync(question);

        Assert.False(reply.Grounded, reply.Text);
        Assert.Null(reply.ShortAnswer);
    }

    [Fact]
    public async Task Questions_about_an_article_itself_are_answered_from_its_metadata()
    {
        await using var bot = new TestBot();
        var first = await bot.AskAsync("Dans quelle région de l'Iran se trouve Hamedan ?");
        var history = new List<ChatTurn> { new(first.Text.Length > 0 ? "Dans quelle région de l'Iran se trouve Hamedan ?" : "", first.Text) { Citations = [first.Citations[0].ArticleId] } };

        var date = await bot.Answerer.AnswerAsync(new ChatRequest("De quand date l'article ?") { History = history }, Ct);
        var source = await bot.Answerer.AnswerAsync(new ChatRequest("Quelle est la source ?") { History = history }, Ct);

        Assert.Equal("000_47b6786323e8e5c6", date.Citations[0].ArticleId);
        Assert.Contains("non daté", date.Text, StringComparison.Ordinal); // that article carries no date
        Assert.StartsWith("L'article « La Russie n'utilisera plus de base iranienne pour frapper en Syrie » vient de **Euronews**", source.Text, StringComparison.Ordinal);
        Assert.Equal("Euronews", source.ShortAnswer);
    }

    [Fact]
    public async Task A_follow_up_carries_the_topic_and_favours_the_article_of_the_previous_answer()
    {
        await using var bot = new TestBot();
        var first = await bot.AskAsync("Qui a annoncé que la Russie et l'Iran renforceraient leur coopération militaire ?");
        var history = new List<ChatTurn> { new("Qui a annoncé que la Russie et l'Iran renforceraient leur coopération militaire ?", first.Text) { Citations = first.Citations.Select(c => c.ArticleId).ToList() } };

        var when = await bot.Answerer.AnswerAsync(new ChatRequest("Quand ?") { History = history }, Ct);
        var who = await bot.Answerer.AnswerAsync(new ChatRequest("Et qui l'a rapporté ?") { History = history }, Ct);

        Assert.Equal("002_4fced6dc993173a8", first.Citations[0].ArticleId);
        Assert.Equal("002_4fced6dc993173a8", when.Citations[0].ArticleId);
        Assert.True(when.Grounded);
        // No reporter is named in the quoted sentence: the article's own source answers.
        Assert.Contains("**AFP**", who.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void And_what_about_x_puts_the_new_name_in_the_previous_question()
    {
        var rewriter = new QuestionRewriter(Core.Retrieval.Understanding.QueryBuilder.Default,
            new OptionalLanguageModel([], Microsoft.Extensions.Options.Options.Create(new ChatBot.Core.Foundation.Ai.AiOptions()), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<OptionalLanguageModel>.Instance),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<QuestionRewriter>.Instance);
        var history = new List<ChatTurn> { new("Quelles technologies militaires Moscou fournit-elle à Téhéran ?", "…") };

        var rewritten = rewriter.Rewrite("Et l'Inde ?", history);

        Assert.Equal("Quelles technologies militaires Moscou fournit-elle à Inde ?", rewritten.Search);
        Assert.Empty(rewritten.Hints.PreferredArticles);
    }

    [Fact]
    public async Task An_english_question_gets_english_bot_text()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Is Russia directly involved in the fighting between Iran and Israel?");

        Assert.Equal(Language.English, reply.Language);
        Assert.True(reply.Grounded);
        Assert.Contains("implication directe", reply.Text, StringComparison.Ordinal);
    }
}
