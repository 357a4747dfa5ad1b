using System.Globalization;
using System.Text;

namespace ChatBot.OperatorConsole.Pages;

/// <summary>Bar charts drawn on the server as SVG (no script, no library): one group of bars per day.</summary>
internal static class Charts
{
    private const int Height = 160;
    private const int Bottom = 24;
    private const int Left = 40;

    /// <summary>Bars per day, each split into stacked (or side-by-side) series.</summary>
    public static string Bars(string id, string title, IReadOnlyList<(DateOnly Day, double[] Values)> days, string[] series, string[] colours, bool stacked)
    {
        var slot = 36;
        var width = Left + Math.Max(1, days.Count) * slot + 10;
        var max = days.Count == 0 ? 1 : Math.Max(1e-9, days.Max(d => stacked ? d.Values.Sum() : d.Values.Max()));
        var scale = (Height - Bottom - 10) / max;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{id}\" role=\"img\" aria-labelledby=\"{id}-title\" viewBox=\"0 0 {width} {Height}\" width=\"{width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Html.E(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{width - 5}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"2\" y=\"14\" font-size=\"10\" fill=\"#555\">{Html.Number(max)}</text>");
        for (var i = 0; i < days.Count; i++)
        {
            var (day, values) = days[i];
            var x = Left + i * slot + 4;
            var y = (double)(Height - Bottom);
            var barWidth = stacked ? slot - 10 : (slot - 10) / values.Length;
            for (var s = 0; s < values.Length; s++)
            {
                var h = values[s] * scale;
                var bx = stacked ? x : x + s * barWidth;
                var by = stacked ? y - h : Height - Bottom - h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect class=\"bar\" x=\"{bx}\" y=\"{by:0.0}\" width=\"{barWidth}\" height=\"{h:0.0}\" fill=\"{colours[s]}\"><title>{Html.E($"{day:yyyy-MM-dd} {series[s]}: {Html.Number(values[s])}")}</title></rect>");
                if (stacked)
                    y -= h;
            }
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{Height - 8}\" font-size=\"9\" fill=\"#555\">{day:MM-dd}</text>");
        }
        svg.Append("</svg><p class=\"muted\">");
        for (var s = 0; s < series.Length; s++)
            svg.Append(CultureInfo.InvariantCulture, $"<svg width=\"10\" height=\"10\" aria-hidden=\"true\"><rect width=\"10\" height=\"10\" fill=\"{colours[s]}\"/></svg> {Html.E(series[s])} ");
        return svg.Append("</p>").ToString();
    }
}
