using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval.Understanding;
using ChatBot.Telegram.Sending;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Answering;

/// <summary>
/// Sure only when right: a question whose topic the corpus names but whose ask it does not say is declined, naming
/// both; a bold short answer is the answer or is not given; a false premise is corrected from the corpus.
/// </summary>
public sealed class TrustTests
{
    [Theory]
    [InlineData("Quel âge a Sergueï Lavrov ?", "Le corpus parle de Sergueï Lavrov, mais pas de son âge.")]
    [InlineData("Combien gagne Vladimir Poutine par an ?", "Le corpus parle de Vladimir Poutine, mais pas de son salaire.")]
    [InlineData("En quelle année Hassan Rohani est-il né ?", "Le corpus parle de Hassan Rohani, mais pas de sa naissance.")]
    [InlineData("Combien de S-300 la Russie a-t-elle livrés à l'Iran ?", "mais pas de leur nombre.")]
    public async Task A_passage_on_the_topic_that_does_not_say_what_is_asked_is_a_decline_that_names_both(string question, string expected)
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync(question);

        Assert.False(reply.Grounded);
        Assert.Null(reply.ShortAnswer);
        Assert.Contains(expected, reply.Text, StringComparison.Ordinal);
        Assert.Single(reply.Citations); // the related passage, offered as reading
    }

    [Fact]
    public async Task A_sentence_already_quoted_with_its_neighbour_is_not_quoted_again_and_the_next_best_one_is()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Washington pense-t-il que la Russie a vraiment arrêté d'utiliser la base ?");

        // "L'arrêt … à Washington." is short, so it is quoted with the sentence after it ("Je vous invite …"); that
        // sentence on its own was the next candidate and was quoted a second time. Now the next one is new.
        Assert.True(reply.Grounded);
        Assert.Equal(1, CountOf(reply.Text, "Je vous invite à demander"));
        Assert.Contains("il n’est pas très clair pour nous que la Russie a définitivement arrêté", reply.Text, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Theory]
    [InlineData("Combien de morts a fait la guerre entre Israël et l'Iran ?", "plus de 900 morts")]
    public async Task A_bold_quantity_keeps_the_words_that_qualify_it(string question, string expected)
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync(question);

        // "900 morts" alone says more than the sentence ("plus de 900 morts"); a place keeps its preposition the same way.
        Assert.Equal(expected, reply.ShortAnswer);
    }

    [Fact]
    public async Task An_english_question_gets_the_decline_in_english()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("How old is Sergei Lavrov?");

        Assert.False(reply.Grounded);
        Assert.Contains("but not their age", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_question_that_asks_what_the_corpus_says_is_still_answered()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Combien de morts a fait le conflit entre Israël et l'Iran ?");

        Assert.True(reply.Grounded);
        Assert.Contains("900", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_answer_to_who_replaced_someone_is_never_that_person()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Qui a succédé à Sergueï Choïgou à la Défense ?");

        Assert.DoesNotContain("**Sergueï Choïgou**", reply.Text, StringComparison.Ordinal);
        Assert.True(reply.ShortAnswer is null || !reply.ShortAnswer.Contains("Choïgou", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_date_of_something_else_in_another_story_is_never_bold()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("quand la russie a commencé ses frappes en syrie ?");

        Assert.NotEqual("13 juin", reply.ShortAnswer);
        Assert.DoesNotContain("**13 juin**", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_paraphrase_reaches_the_passage_that_answers()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("depuis quand les russes bombardent la syrie ?");

        Assert.True(reply.Grounded);
        Assert.Contains("30 septembre", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_false_premise_is_corrected_with_the_sentence_that_contradicts_it()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Pourquoi l'Iran a-t-il demandé une aide militaire à la Russie ?");

        Assert.True(reply.Grounded);
        Assert.StartsWith("Le corpus dit le contraire", reply.Text, StringComparison.Ordinal);
        Assert.Contains("n'a pas demandé", reply.Text, StringComparison.Ordinal);
        Assert.Equal("004_d14a4ba0e42e9e1f", reply.Citations[0].ArticleId);
    }

    [Fact]
    public async Task A_question_about_something_else_the_topic_denies_is_not_corrected()
    {
        await using var bot = new TestBot();

        var reply = await bot.AskAsync("Quel est le budget militaire de la Russie ?");

        Assert.DoesNotContain("dit le contraire", reply.Text, StringComparison.Ordinal);
        Assert.False(reply.Grounded);
    }

    [Theory]
    [InlineData("Quel âge a Sergueï Lavrov ?")]
    [InlineData("Quel âge a l'ayatollah Ali Khamenei ?")]
    [InlineData("Dans quelle région de l'Iran se trouve Hamedan ?")]
    [InlineData("Qui est le président du Brésil ?")]
    [InlineData("Pourquoi l'Iran a-t-il demandé une aide militaire à la Russie ?")]
    public async Task No_reply_shows_literal_asterisks_on_telegram_or_the_command_line(string question)
    {
        await using var bot = new TestBot();
        var first = await bot.AskAsync(question);
        // The follow-up about the cited article's source is written with emphasis too ("vient de **Euronews**").
        var followUp = await bot.Answerer.AnswerAsync(new ChatRequest("Et qui l'a rapporté ?") { History = [new ChatTurn(question, first.Text) { Citations = first.Citations.Select(c => c.ArticleId).ToList() }] }, TestContext.Current.CancellationToken);

        foreach (var reply in new[] { first, followUp })
        {
            foreach (var message in TelegramHtml.Render(reply))
                Assert.DoesNotContain("**", message, StringComparison.Ordinal);
            Assert.DoesNotContain("**", Core.Answering.ReplyFormatter.PlainText(reply), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Emphasis_becomes_bold_html_on_telegram()
    {
        var reply = new ChatReply("**86 ans** — « Le dirigeant de 86 ans <va> bien. » [1]", true, [], Language.French, [], ReplyTimings.None);

        var html = TelegramHtml.Render(reply).Single();

        Assert.StartsWith("<b>86 ans</b> — « Le dirigeant de 86 ans &lt;va&gt; bien. »", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Quel âge a Sergueï Lavrov ?", "age")]
    [InlineData("Quelle est la date de naissance de Hassan Rohani ?", "birth")]
    [InlineData("quand est il ne, Dehghan ?", "birth")]
    [InlineData("Qui a remplacé Choïgou au ministère ?", "successor")]
    [InlineData("Combien gagne le président ?", "salary")]
    [InlineData("Who replaced Shoigu?", "successor")]
    public void The_ask_of_a_question_is_read_apart_from_its_topic(string question, string family)
    {
        var query = QueryBuilder.Default.Build(question);

        Assert.Equal(family, query.Ask.Family?.Key);
    }

    [Theory]
    [InlineData("Qui a gagné l'élection présidentielle en Iran ?")] // "gagner" is to win, not to earn
    [InlineData("Pourquoi la Russie ne livre-t-elle pas de S-400 ?")] // "ne" is a negation, not "né"
    [InlineData("Dans quelles circonstances est-il mort ?")] // a death asked without "when" is no date question
    public void Words_that_only_look_like_an_ask_are_not_one(string question)
    {
        var query = QueryBuilder.Default.Build(question);

        Assert.True(query.Ask.Family?.Type != AnswerType.Date && query.Ask.Family?.Key != "salary", query.Ask.Family?.Key);
    }

    [Fact]
    public void A_count_is_said_only_by_a_quantity_of_what_is_counted()
    {
        var ask = QueryBuilder.Default.Build("Combien de Su-34 l'armée russe possède-t-elle ?").Ask;

        Assert.False(ask.AnsweredBy("Des bombardiers Su-34 ont décollé de Hamedan le 16 août 2016."));
        Assert.True(ask.AnsweredBy("L'armée russe aligne 120 Su-34 selon l'état-major."));
    }
}

public sealed class ParaphraseTests
{
    [Fact]
    public void A_paraphrase_group_links_words_and_phrases_by_stem()
    {
        var paraphrases = FrenchParaphrases.Default;

        Assert.Contains("raids", paraphrases.Of("bombardent", WordAnalysers.Shared));
        Assert.Contains("campagne aerienne", paraphrases.PhrasesOf("bombardent", WordAnalysers.Shared));
        Assert.Contains("denoncait", paraphrases.Of("fachee", WordAnalysers.Shared));
        Assert.DoesNotContain("bombarder", paraphrases.Of("bombardent", WordAnalysers.Shared)); // its own forms are not paraphrases
    }

    [Fact]
    public async Task A_question_is_expanded_with_the_paraphrases_the_index_holds()
    {
        await using var bot = new TestBot();
        await bot.SyncAsync();

        var (query, _) = await bot.Retriever.UnderstandAsync("depuis quand les russes bombardent la syrie ?", TestContext.Current.CancellationToken);

        var words = query.Expansions.SelectMany(e => e.Alternatives).Select(a => a.Folded).ToList();
        Assert.Contains("campagne", words);
        Assert.Contains("frappes", words);
        Assert.All(query.Expansions, e => Assert.Equal(Query.ExpansionWeight, e.Weight));
    }
}
