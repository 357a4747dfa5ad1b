namespace ChatBot.Core.Foundation.Text;

public static class EditDistance
{
    /// <summary>
    /// Optimal string alignment distance (insertions, deletions, substitutions, adjacent transpositions), or
    /// <paramref name="bound"/> + 1 as soon as it is certain to exceed <paramref name="bound"/>.
    /// </summary>
    public static int Damerau(string a, string b, int bound = int.MaxValue)
    {
        if (Math.Abs(a.Length - b.Length) > bound)
            return bound + 1;
        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    value = Math.Min(value, previous2[j - 2] + 1);
                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }
            if (rowMin > bound)
                return bound + 1;
            (previous2, previous, current) = (previous, current, previous2);
        }
        return previous[b.Length];
    }
}
