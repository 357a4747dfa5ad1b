using ChatBot.Core.Retrieval;
using ChatBot.Evaluation;

namespace ChatBot.Tests.Evaluation;

public sealed class DeclineCalibrationTests
{
    private static (string Group, Evidence Evidence) Item(string group, double coverage) => (group, new Evidence([], coverage, 0, 0));

    [Fact]
    public void The_threshold_is_chosen_on_the_other_folds_and_measured_on_the_held_out_one()
    {
        // Answerable questions cover 0.5–0.9 of the question; unanswerable ones 0.1–0.6, in 10 articles.
        var answerable = Enumerable.Range(0, 100).Select(i => Item($"a{i % 10}", 0.5 + i % 5 * 0.1)).ToList();
        var unanswerable = Enumerable.Range(0, 100).Select(i => Item($"a{i % 10}", 0.1 + i % 6 * 0.1)).ToList();

        var cv = DeclineCalibration.CrossValidate(answerable, unanswerable, 5, 0.04, (e, t) => e.Coverage < t);

        Assert.Equal(5, cv.FoldThetas.Count);
        Assert.All(cv.FoldThetas, t => Assert.InRange(t, 0.41, 0.50)); // above 0.4 all but answerable; at most 0.5
        Assert.InRange(cv.Theta, 0.41, 0.50); // of equal thresholds, the lowest (fewest answerable declined)
        Assert.True(cv.Answerable <= 0.04);
        Assert.InRange(cv.Unanswerable, 0.6, 0.7);
    }
}
