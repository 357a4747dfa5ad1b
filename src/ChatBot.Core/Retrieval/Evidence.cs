namespace ChatBot.Core.Retrieval;

/// <summary>
/// How well the passages cover the question: per term group, its weight (rarity in the corpus; unknown words weigh
/// most) and the best share of the total weight found in a single passage.
/// </summary>
public sealed record Evidence(IReadOnlyDictionary<QueryTermGroup, double> Weights, double BestCoverage)
{
    public static Evidence None { get; } = new(new Dictionary<QueryTermGroup, double>(), 0);

    /// <summary>A question only about dates ("le dernier article ?"): the passages answer it by being the newest.</summary>
    public static Evidence DatesOnly { get; } = new(new Dictionary<QueryTermGroup, double>(), 1);

    /// <summary>Names in the question that no chunk of the corpus contains: the corpus cannot be about them.</summary>
    public IReadOnlyList<QueryTermGroup> UnknownNames { get; init; } = [];

    public double TotalWeight => Weights.Values.Sum();

    /// <summary>Share of the question's weight carried by the groups present in <paramref name="terms"/>.</summary>
    public double CoverageOf(IReadOnlySet<string> terms)
    {
        var total = TotalWeight;
        if (total <= 0)
            return 0;
        var found = Weights.Where(w => w.Key.Terms.Overlaps(terms)).Sum(w => w.Value);
        return found / total;
    }
}
