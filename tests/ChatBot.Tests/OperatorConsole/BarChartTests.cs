using ChatBot.OperatorConsole.Pages;

namespace ChatBot.Tests.OperatorConsole;

/// <summary>The chart's geometry, apart from the template that writes it out.</summary>
public sealed class BarChartTests
{
    private static readonly DateOnly Monday = new(2026, 12, 7);

    [Fact]
    public void Stacked_series_sit_on_one_another_and_the_tallest_stack_reaches_the_top()
    {
        var chart = new BarChartModel("c", "t", [(Monday, [6, 2]), (Monday.AddDays(1), [3, 1])], ["a", "b"], ["#000", "#fff"], Stacked: true);

        var bars = chart.Bars().ToList();

        Assert.Equal(8, chart.Max);
        Assert.Equal(4, bars.Count);
        Assert.Equal(bars[0].X, bars[1].X); // one column per day
        Assert.Equal(bars[0].Y, bars[1].Y + bars[1].Height, 6); // the second series starts where the first ends
        Assert.Equal(BarChartModel.Axis - (BarChartModel.Height - 24 - 10), bars[1].Y, 6); // 6 + 2 = the whole scale
        Assert.Equal("2026-12-07 b: 2", bars[1].Label);
    }

    [Fact]
    public void Side_by_side_series_share_the_day_slot_and_stand_on_the_axis()
    {
        var chart = new BarChartModel("c", "t", [(Monday, [10, 40])], ["p50", "p95"], ["#000", "#fff"], Stacked: false);

        var bars = chart.Bars().ToList();

        Assert.Equal(40, chart.Max);
        Assert.Equal(bars[0].X + bars[0].Width, bars[1].X);
        Assert.All(bars, b => Assert.Equal(BarChartModel.Axis, b.Y + b.Height, 6));
        Assert.Equal(bars[1].Height / 4, bars[0].Height, 6);
    }

    [Fact]
    public void An_empty_period_draws_an_axis_and_no_bar()
    {
        var chart = new BarChartModel("c", "t", [], ["a"], ["#000"], Stacked: true);

        Assert.Empty(chart.Bars());
        Assert.Equal(1, chart.Max);
        Assert.True(chart.Width > BarChartModel.Left);
    }
}
