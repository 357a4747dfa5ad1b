using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Tests.Understanding;

/// <summary>Chat questions read as questions: noise and filler out, typos and English mapped to the index's words.</summary>
public sealed class QuestionUnderstandingTests
{
    private static List<string> Words(Query query) => query.Concepts.Select(c => c.Folded).ToList();

    [Theory]
    [InlineData("Bonjour, pourriez-vous me dire quand a commencé le conflit entre Israël et l'Iran ? Merci d'avance")]
    [InlineData("yo le bot, quand a commencé le conflit entre Israël et l'Iran ??")]
    [InlineData("@CorpusBot <@123456789> quand a commencé le conflit entre Israël et l'Iran ? 🙏 https://example.org/x")]
    [InlineData("<script>alert(1)</script> **quand** a commencé le conflit entre Israël et l'Iran ?")]
    public void Greetings_politeness_mentions_markup_links_and_emoji_are_not_content(string question)
    {
        var query = QueryBuilder.Default.Build(question);

        Assert.Equal(["commence", "conflit", "israel", "iran"], Words(query));
        Assert.Equal(AnswerType.Date, query.AnswerType);
        Assert.Equal(Language.French, query.Language);
    }

    [Fact]
    public void Longer_function_words_are_read_by_the_reranker_but_never_the_topic()
    {
        var query = QueryBuilder.Default.Build("Qu'a fait l'armée russe pendant la guerre contre l'Etat islamique ?");

        Assert.Equal(["armee", "russe", "guerre", "etat", "islamique"], Words(query));
        Assert.Equal(["fait", "pendant", "contre"], query.FunctionWords.Select(c => c.Folded));
        // The reranker reads them among the topic words, in the question's order; the first ranking reads the topic
        // alone; short function words ("la", "a") are read by nothing.
        Assert.Equal(["fait", "armee", "russe", "pendant", "guerre", "contre", "etat", "islamique"],
            query.Lexical.Concepts.Select(c => c.Alternatives[0].Folded));
        Assert.Equal(Words(query), query.TopicLexical.Concepts.Select(c => c.Alternatives[0].Folded));
    }

    [Fact]
    public void A_question_of_function_words_alone_has_no_content()
    {
        var query = QueryBuilder.Default.Build("Et avant ou pendant ?");

        Assert.True(query.IsEmpty);
        Assert.Empty(query.Lexical.Concepts);
    }

    [Theory]
    [InlineData("Bonjour !")]
    [InlineData("Merci beaucoup 🙏")]
    [InlineData("hello bot, thanks")]
    public void A_message_of_filler_alone_has_no_content(string message)
    {
        var query = QueryBuilder.Default.Build(message);

        Assert.True(query.IsEmpty);
        Assert.Equal("", query.Cleaned);
    }

    [Fact]
    public void Filler_counts_only_at_the_edges_of_a_clause()
    {
        // "merci" inside the sentence is what it is about, not politeness.
        var query = QueryBuilder.Default.Build("Pourquoi a-t-il dit merci aux Russes ?");

        Assert.Contains("merci", Words(query));
    }

    [Fact]
    public void The_filler_and_the_lexicon_come_from_the_data_files()
    {
        Assert.Equal("Quand ?", FillerPhrases.Default.Strip("Salut ! Quand ? Merci d'avance"));
        Assert.True(EnglishLexicon.Default.Count > 9000, $"{EnglishLexicon.Default.Count} English entries");
        Assert.Contains("mourir", EnglishLexicon.Default.Translate("died")); // through the base form "die"
        Assert.Contains("frappe", EnglishLexicon.Default.Translate("strikes"));
        Assert.Contains("decoller", EnglishLexicon.Default.Translate("take off")); // folded
        Assert.True(EnglishLexicon.Default.KnowsPhrase("take off"));
        Assert.Contains("take", EnglishLexicon.Default.BaseForms("took"));
    }

    [Fact]
    public void Unknown_words_are_mapped_to_index_words_an_edit_or_a_transliteration_away()
    {
        using var index = new LexicalIndex();
        index.Add(1, "Défense", "Le ministre Hossein Dehghan et Sergueï Choïgou à Téhéran, avec Vladimir Poutine. La coalition.");
        index.Add(2, "Paris", "Les parties en présence.");

        var typos = QueryBuilder.Default.Build("Qui est Hosein Dehgan et que fait la coalitoin ?", index);
        var english = QueryBuilder.Default.Build("Did Shoigu meet Putin in Tehran?", index);
        var place = QueryBuilder.Default.Build("Quelle est la météo à Pariss ?", index);

        Assert.Contains(typos.Concepts, c => c.Folded == "dehgan" && c.Words.Contains("dehghan"));
        Assert.Equal(1, index.DocumentFrequency("hosein")); // "Hosein" needs no correction: the light stemmer reads both as "hosein"
        Assert.Contains(typos.Concepts, c => c.Folded == "coalitoin" && c.Words.Contains("coalition"));
        Assert.Contains(english.Concepts, c => c.Folded == "shoigu" && c.Words.Contains("choigou"));
        Assert.Contains(english.Concepts, c => c.Folded == "putin" && c.Words.Contains("poutine"));
        Assert.Contains(english.Concepts, c => c.Folded == "tehran" && c.Words.Contains("teheran"));
        // Two edits only for a transliteration: "parties" is not a spelling of Paris.
        Assert.DoesNotContain(place.Concepts, c => c.Words.Contains("parties"));
    }

    [Fact]
    public void English_words_go_through_the_lexicon_and_their_french_cognates()
    {
        using var index = new LexicalIndex();
        index.Add(1, "Coopération", "La coopération militaire entre les troupes russes et les bombardiers qui ont décollé.");

        var query = QueryBuilder.Default.Build("Which military cooperation made the troops take off?", index);

        Assert.Equal(Language.English, query.Language);
        Assert.Contains(query.Concepts, c => c.Folded == "military" && c.Words.Contains("militaire"));
        Assert.Contains(query.Concepts, c => c.Folded == "cooperation" && c.Words.Contains("cooperation"));
        Assert.Contains(query.Concepts, c => c.Folded == "troops" && c.Words.Contains("troupes"));
        Assert.Contains(query.Concepts, c => c.Folded == "take off" && c.Words.Contains("decolle"));
    }

    [Fact]
    public void A_mistyped_question_word_is_a_question_word_and_frames_leave_the_search()
    {
        using var index = new LexicalIndex();
        index.Add(1, "A", "Les madelinots se sont installés à Baie-Sainte-Anne en 1798.");

        var query = QueryBuilder.Default.Build("Qaund les madelinots se sont installés ? En quelle année ?", index);

        Assert.DoesNotContain("qaund", Words(query));
        Assert.DoesNotContain("annee", Words(query));
        Assert.Contains("annee", query.Frames);
        Assert.Contains("madelinots", Words(query));
    }

    [Theory]
    [InlineData("Qui est le ministre israélien de la Défense ?", AnswerType.Person)]
    [InlineData("Qui est Sergueï Choïgou ?", AnswerType.Definition)]
    [InlineData("Quand l'accord a-t-il été signé ?", AnswerType.Date)]
    [InlineData("Combien de drones ?", AnswerType.Number)]
    [InlineData("Quel âge a Khamenei ?", AnswerType.Age)]
    [InlineData("Pourquoi la Russie a-t-elle cessé ?", AnswerType.Reason)]
    [InlineData("Où se trouve Hamedan ?", AnswerType.Place)]
    [InlineData("Which Russian aircraft took off?", AnswerType.Entity)]
    [InlineData("Quels sont les pays qui exigent son départ ?", AnswerType.List)]
    [InlineData("Est-ce que la Russie est impliquée ?", AnswerType.YesNo)]
    [InlineData("Et qui l'a rapporté ?", AnswerType.ArticleSource)]
    [InlineData("De quand date l'article ?", AnswerType.ArticleDate)]
    [InlineData("c'est quoi la base que les russes utilisaient", AnswerType.Entity)]
    public void The_kind_of_answer_is_read_off_the_question(string question, AnswerType expected) =>
        Assert.Equal(expected, AnswerTypes.Of(question));

    [Fact]
    public void Demonyms_are_constraints_held_by_their_place_too()
    {
        var query = QueryBuilder.Default.Build("Qui est le ministre israélien de la Défense ?");

        var israeli = Assert.Single(query.Concepts, c => c.Folded == "israelien");
        Assert.True(israeli.IsName);
        Assert.Contains("israel", israeli.Words);
    }
}
