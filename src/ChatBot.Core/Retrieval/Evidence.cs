using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Retrieval;

/// <summary>A question concept's weight (its rarity in the corpus; a word the corpus never uses weighs most) and whether the best passage holds it.</summary>
public sealed record ConceptEvidence(QueryConcept Concept, double Weight, bool Present);

/// <summary>
/// How well the best passage (with its title) covers the question: the share of the concepts' weight it holds, the
/// names of the question it lacks, and the weight it matched. A question about something the corpus never mentions,
/// or whose discriminating word is missing from the best passage, gets low coverage or a missing name.
/// </summary>
public sealed record Evidence(IReadOnlyList<ConceptEvidence> Concepts, double Coverage, int MissingNames, double MatchedWeight)
{
    public static Evidence None { get; } = new([], 0, 0, 0);

    /// <summary>A question only about dates ("le dernier article ?"): the passages answer it by being the newest.</summary>
    public static Evidence DatesOnly { get; } = new([], 1, 0, 0) { IsDatesOnly = true };

    public bool IsDatesOnly { get; init; }

    /// <summary>What the question asks about its topic (<see cref="Query.Ask"/>) and what its topic is (<see cref="Query.Topic"/>).</summary>
    public QuestionAsk Ask { get; init; } = QuestionAsk.None;

    public IReadOnlyList<QueryConcept> Topic { get; init; } = [];

    /// <summary>
    /// A sentence of one of the best passages says what is asked about the topic (always true for a question with no
    /// particular ask). False: the passages may name the topic, but not its age, successor, price or number.
    /// </summary>
    public bool AskAnswered { get; init; } = true;

    /// <summary>Names in the question that no form of appears in the corpus: it cannot be about them.</summary>
    public IReadOnlyList<QueryConcept> UnknownNames { get; init; } = [];

    public double TotalWeight => Concepts.Sum(c => c.Weight);

    /// <summary>
    /// French content words of six letters or more that no form of (nor any spelling one edit away) is in the corpus:
    /// what the question asks about is not there ("précédé", "reloger"). Names are counted apart; an English word the
    /// lexicon could not carry over is not counted (the gap may be the lexicon's).
    /// </summary>
    public int UnknownWords => Concepts.Count(c => c.Concept is { Known: false, IsName: false, Translated: false, IsNumber: false } && c.Concept.Folded.Length >= 6);

    /// <summary>The weighted share of the concepts <paramref name="present"/> says a text holds.</summary>
    public double CoverageOf(Func<QueryConcept, bool> present)
    {
        var total = TotalWeight;
        return total <= 0 ? 0 : Concepts.Where(c => present(c.Concept)).Sum(c => c.Weight) / total;
    }
}
