using ChatBot.Evaluation;

namespace ChatBot.Tests.Evaluation;

/// <summary>SQuAD's answer measures, adapted to French text.</summary>
public sealed class AnswerMetricsTests
{
    [Theory]
    [InlineData("des bombardiers Su-34 ont décollé", "Su-34", true)]
    [InlineData("L’Iran a riposté", "l'iran", true)]
    [InlineData("Le 13 juin, des frappes", "13 JUIN", true)]
    [InlineData("Ils ont fêté l'événement", "evenement", true)]
    [InlineData("1300 morts", "300", false)] // whole words only
    public void A_gold_answer_is_found_whatever_its_case_accents_punctuation_and_article(string text, string answer, bool expected) =>
        Assert.Equal(expected, AnswerMetrics.Contains(text, [answer]));

    [Fact]
    public void Exact_match_and_f1_ignore_articles_and_keep_the_best_gold_answer()
    {
        Assert.True(AnswerMetrics.ExactMatch("la Turquie", ["Turquie", "Inde"]));
        Assert.False(AnswerMetrics.ExactMatch("Turquie et Inde", ["Turquie"]));
        Assert.Equal(1.0, AnswerMetrics.F1("les Su-34", ["Su-34"]), 3);
        Assert.Equal(0.5, AnswerMetrics.F1("86 ans environ", ["86"]), 3); // precision 1/3, recall 1
        Assert.Equal(0.0, AnswerMetrics.F1("Moscou", ["Téhéran"]), 3);
    }
}
