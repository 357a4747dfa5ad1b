using ChatBot.Evaluation;
using ChatBot.Tests.Support;

namespace ChatBot.Tests.Answering;

/// <summary>
/// A bold short answer is not a guess between two: when another sentence nearly as good gives a different answer of
/// the kind asked for, the quotes speak for themselves.
/// </summary>
public sealed class BoldRivalTests
{
    private const string Question = "Où le moine Filippo Dulcetti décide-t-il de mener une vie d'ermite ?";

    private static TestBot Bot(string text, double? ratio = null)
    {
        var bot = new TestBot(seedCorpus: false);
        if (ratio is { } r)
            bot.Settings["ChatBot:Answer:BoldRivalRatio"] = r.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllLines(bot.ArticlePath("ermites.jsonl"),
            [$$"""{"id": "dulcetti", "title": "Filippo Dulcetti, moine et ermite", "published": "2020-03-01", "text": "{{text}}"}"""]);
        return bot;
    }

    private const string TwoPlaces =
        "Le moine Filippo Dulcetti décide de mener une vie d'ermite près de Centuripe, où il reste dix ans. "
        + "Selon une autre tradition, Filippo Dulcetti décide de mener une vie d'ermite près de Bronte, où il reste dix ans.";

    [Fact]
    public async Task Two_sentences_that_give_two_places_leave_the_answer_unbolded_and_quote_both()
    {
        await using var bot = Bot(TwoPlaces);

        var reply = await bot.AskAsync(Question);

        Assert.True(reply.Grounded);
        Assert.Null(reply.ShortAnswer);
        Assert.DoesNotContain("**", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Centuripe", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Bronte", reply.Text, StringComparison.Ordinal);
        Assert.NotNull(reply.BoldCheck); // a short answer was found, and held back because of its rival
        Assert.True(reply.BoldCheck.Rival >= 0.8, $"rival {reply.BoldCheck.Rival}");
    }

    [Fact]
    public async Task Without_the_rival_check_the_same_question_would_lead_with_one_place_in_bold()
    {
        await using var bot = Bot(TwoPlaces, ratio: 1000);

        var reply = await bot.AskAsync(Question);

        Assert.NotNull(reply.ShortAnswer);
        Assert.StartsWith("**", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_single_place_is_still_bold()
    {
        await using var bot = Bot("Le moine Filippo Dulcetti décide de mener une vie d'ermite près de Centuripe, où il reste dix ans. Il y meurt en 1650, entouré de ses disciples.");

        var reply = await bot.AskAsync(Question);

        Assert.Equal("près de Centuripe", reply.ShortAnswer);
        Assert.Equal(0, reply.BoldCheck!.Rival);
    }

    [Fact]
    public async Task A_name_without_the_words_that_make_it_a_place_is_no_rival()
    {
        // "Selon Ottavio Gaetani" names a person where a place is asked: no preposition says it is where he went.
        await using var bot = Bot("Le moine Filippo Dulcetti décide de mener une vie d'ermite près de Centuripe, où il reste dix ans. "
            + "Selon Ottavio Gaetani, Filippo Dulcetti décide de mener une vie d'ermite après une vision.");

        var reply = await bot.AskAsync(Question);

        Assert.Equal("près de Centuripe", reply.ShortAnswer);
    }

    [Fact]
    public void The_rival_threshold_is_chosen_on_the_other_folds_at_the_target_precision()
    {
        // In 10 articles: bold answers without a rival are right 19 times in 20; with a close rival (0.9) right 1 time in 2.
        var bolds = Enumerable.Range(0, 200).Select(i => new BoldCalibration.Bold($"a{i % 10}", i % 2 == 0 ? 0 : 0.9, i % 2 == 0 ? i % 44 != 0 : i % 4 == 1)).ToList();

        var cv = BoldCalibration.CrossValidate(bolds, questions: 1000);

        Assert.Equal(5, cv.FoldThetas.Count);
        Assert.All(cv.FoldThetas, t => Assert.InRange(t, 0.05, 0.9)); // keeps the answers without rival, drops the others
        Assert.InRange(cv.Precision, 0.9, 1.0);
        Assert.Equal(0.1, cv.Share, 3);
        Assert.Equal(0.9, cv.Theta, 3); // the largest threshold that keeps precision at the target: below the rivals' 0.9
    }
}
