using System.Globalization;

namespace ChatBot.OperatorConsole.Pages;

/// <summary>
/// A bar chart drawn on the server as SVG (no script, no library): one group of bars per day, each split into stacked
/// (or side-by-side) series. The geometry is computed here; <c>BarChart.cshtml</c> only writes it out.
/// </summary>
public sealed record BarChartModel(string Id, string Title, IReadOnlyList<(DateOnly Day, double[] Values)> Days, string[] Series, string[] Colours, bool Stacked)
{
    public const int Height = 160;
    public const int Axis = Height - Bottom;
    public const int Left = 40;
    private const int Bottom = 24;
    private const int Slot = 36;

    public readonly record struct Bar(int X, double Y, int Width, double Height, string Colour, string Label);

    public int Width => Left + Math.Max(1, Days.Count) * Slot + 10;

    /// <summary>The tallest bar (a stack's total when stacked): the top of the scale.</summary>
    public double Max => Days.Count == 0 ? 1 : Math.Max(1e-9, Days.Max(d => Stacked ? d.Values.Sum() : d.Values.Max()));

    public IEnumerable<Bar> Bars()
    {
        var scale = (Height - Bottom - 10) / Max;
        for (var i = 0; i < Days.Count; i++)
        {
            var (day, values) = Days[i];
            var x = DayX(i);
            var top = (double)Axis;
            var width = Stacked ? Slot - 10 : (Slot - 10) / values.Length;
            for (var s = 0; s < values.Length; s++)
            {
                var h = values[s] * scale;
                var label = string.Create(CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd} {Series[s]}: {Html.Number(values[s])}");
                yield return Stacked ? new Bar(x, top - h, width, h, Colours[s], label) : new Bar(x + s * width, Axis - h, width, h, Colours[s], label);
                if (Stacked)
                    top -= h;
            }
        }
    }

    public IEnumerable<(int X, DateOnly Day)> DayLabels() => Days.Select((d, i) => (DayX(i), d.Day));

    private static int DayX(int index) => Left + index * Slot + 4;
}
