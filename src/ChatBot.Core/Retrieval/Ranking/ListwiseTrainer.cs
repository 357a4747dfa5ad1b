namespace ChatBot.Core.Retrieval.Ranking;

/// <summary>One training question: its candidates' features, which of them answer it, and the group it belongs to (for folds).</summary>
public sealed record TrainingQuery(string Group, float[][] Features, bool[] Relevant);

/// <summary>
/// Fits a <see cref="RankerModel"/> by listwise softmax: for each question, the probability the model gives to its
/// relevant candidates among all of them is maximised (cross-entropy), with an L2 penalty, by full-batch Adam on
/// standardised features. Deterministic: same data, same weights.
/// </summary>
public static class ListwiseTrainer
{
    public sealed record Settings(double L2 = 0.01, int Iterations = 400, double LearningRate = 0.05);

    public static RankerModel Train(IReadOnlyList<TrainingQuery> queries, IReadOnlyList<string> names, string provenance, Settings? settings = null)
    {
        settings ??= new Settings();
        var usable = queries.Where(q => q.Relevant.Any(r => r) && q.Features.Length > 1).ToList();
        var n = names.Count;
        var (mean, scale) = Standardisation(usable, n);
        var data = usable.Select(q => (X: q.Features.Select(f => Standardise(f, mean, scale)).ToArray(), q.Relevant)).ToList();

        var w = new double[n];
        var m = new double[n];
        var v = new double[n];
        const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        for (var step = 1; step <= settings.Iterations; step++)
        {
            var gradient = new double[n];
            foreach (var (x, relevant) in data)
                AddGradient(x, relevant, w, gradient);
            for (var i = 0; i < n; i++)
            {
                var g = gradient[i] / data.Count + settings.L2 * w[i];
                m[i] = beta1 * m[i] + (1 - beta1) * g;
                v[i] = beta2 * v[i] + (1 - beta2) * g * g;
                var mHat = m[i] / (1 - Math.Pow(beta1, step));
                var vHat = v[i] / (1 - Math.Pow(beta2, step));
                w[i] -= settings.LearningRate * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }
        return new RankerModel([.. names], [.. mean], [.. scale], w.Select(x => (float)Math.Round(x, 5)).ToArray(), provenance);
    }

    /// <summary>Mean cross-entropy of the relevant candidates under <paramref name="model"/> (for reports).</summary>
    public static double Loss(IReadOnlyList<TrainingQuery> queries, LinearRanker model)
    {
        var total = 0.0;
        var count = 0;
        foreach (var q in queries.Where(q => q.Relevant.Any(r => r)))
        {
            var scores = q.Features.Select(f => (double)model.Score(f)).ToArray();
            var max = scores.Max();
            var all = scores.Sum(s => Math.Exp(s - max));
            var relevant = scores.Where((_, i) => q.Relevant[i]).Sum(s => Math.Exp(s - max));
            total -= Math.Log(relevant / all);
            count++;
        }
        return count == 0 ? 0 : total / count;
    }

    private static void AddGradient(float[][] x, bool[] relevant, double[] w, double[] gradient)
    {
        var scores = new double[x.Length];
        for (var c = 0; c < x.Length; c++)
        {
            for (var i = 0; i < w.Length; i++)
                scores[c] += w[i] * x[c][i];
        }
        var max = scores.Max();
        var p = scores.Select(s => Math.Exp(s - max)).ToArray();
        var all = p.Sum();
        var relevantMass = p.Where((_, c) => relevant[c]).Sum();
        for (var c = 0; c < x.Length; c++)
        {
            // d(-log Σ_rel p) / d score_c = p_c / Σ p - [relevant] p_c / Σ_rel p
            var d = p[c] / all - (relevant[c] ? p[c] / relevantMass : 0);
            if (d == 0)
                continue;
            for (var i = 0; i < w.Length; i++)
                gradient[i] += d * x[c][i];
        }
    }

    private static (float[] Mean, float[] Scale) Standardisation(List<TrainingQuery> queries, int n)
    {
        var mean = new double[n];
        var square = new double[n];
        var count = 0;
        foreach (var f in queries.SelectMany(q => q.Features))
        {
            for (var i = 0; i < n; i++)
            {
                mean[i] += f[i];
                square[i] += f[i] * f[i];
            }
            count++;
        }
        var m = new float[n];
        var s = new float[n];
        for (var i = 0; i < n; i++)
        {
            m[i] = (float)(mean[i] / Math.Max(1, count));
            var variance = square[i] / Math.Max(1, count) - m[i] * m[i];
            s[i] = variance > 1e-12 ? (float)Math.Sqrt(variance) : 1f;
        }
        return (m, s);
    }

    private static float[] Standardise(float[] f, float[] mean, float[] scale)
    {
        var x = new float[f.Length];
        for (var i = 0; i < f.Length; i++)
            x[i] = (f[i] - mean[i]) / scale[i];
        return x;
    }
}
