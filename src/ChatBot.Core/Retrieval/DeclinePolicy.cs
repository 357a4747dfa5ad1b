using Microsoft.Extensions.Options;

namespace ChatBot.Core.Retrieval;

/// <summary>What the evidence allows: an answer, related reading only, or a decline.</summary>
public enum Verdict
{
    /// <summary>The passages say what is asked.</summary>
    Answer,

    /// <summary>The corpus holds the topic but not what is asked: the closest passage is offered as reading, not as an answer.</summary>
    Related,

    /// <summary>The corpus is not about it: nothing is cited.</summary>
    Decline,
}

/// <summary>
/// The decline test, in one place for the bot and for <c>eval --unanswerable</c>. Unknown names, or almost none of the
/// question's weight in the best passage (<see cref="RetrievalOptions.RelatedReadingCoverage"/>): the corpus is not
/// about it. A name of the question missing from the best passage, the ask unsaid (an age, a successor), a word the
/// corpus never uses (with <see cref="RetrievalOptions.DeclineOnUnknownWords"/>), or less of the question's weight
/// there than <see cref="RetrievalOptions.MinCoverage"/>: the corpus does not say what is asked, and the passage is
/// only related reading. A question about dates alone is answered by the newest articles.
/// </summary>
public sealed class DeclinePolicy(IOptions<RetrievalOptions> options)
{
    public Verdict Judge(Evidence evidence) => Judge(evidence, options.Value, options.Value.MinCoverage);

    /// <summary>The verdict under <paramref name="settings"/> with <paramref name="minCoverage"/> as the threshold (the calibration's sweep).</summary>
    public static Verdict Judge(Evidence evidence, RetrievalOptions settings, double minCoverage)
    {
        if (evidence.IsDatesOnly)
            return Verdict.Answer;
        if (evidence.UnknownNames.Count > 0 || evidence.Coverage < settings.RelatedReadingCoverage)
            return Verdict.Decline;
        if (!evidence.AskAnswered || evidence.MissingNames > 0 || (settings.DeclineOnUnknownWords && evidence.UnknownWords > 0) || evidence.Coverage < minCoverage)
            return Verdict.Related;
        return Verdict.Answer;
    }
}
