using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Indexing.Lexical;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>
/// One content word of a question with the index words that count as it: itself, a corrected spelling, or French
/// equivalents of an English word, each with a weight (≤ 1). <see cref="IsName"/>: capitalised inside the question or
/// written in capitals, so most likely what the question is about. <see cref="Known"/>: some form of it is in the index.
/// </summary>
public sealed record QueryConcept(string Surface, string Folded, IReadOnlyList<LexicalAlternative> Alternatives)
{
    public bool IsName { get; init; }
    public bool Known { get; init; }

    /// <summary>An English word read through the lexicon: when none of its French forms is in the index, the failure may be the lexicon's.</summary>
    public bool Translated { get; init; }

    /// <summary>A year (1900–2099): a name-like word that a publication date may also account for.</summary>
    public bool IsYear => Folded.Length == 4 && (Folded.StartsWith("19", StringComparison.Ordinal) || Folded.StartsWith("20", StringComparison.Ordinal)) && Folded.All(char.IsAsciiDigit);

    public bool IsNumber => Folded.Length > 0 && Folded.All(char.IsAsciiDigit);

    /// <summary>The folded words that count as this concept.</summary>
    public IEnumerable<string> Words => Alternatives.Select(a => a.Folded);
}

/// <summary>
/// A question as the bot understands it: the text without chat noise, its language, the kind of answer it wants and
/// its content concepts. <see cref="Concepts"/> is empty for a message with no content (a greeting, thanks).
/// </summary>
public sealed record Query(string Text, string Cleaned, Language Language, AnswerType AnswerType, IReadOnlyList<QueryConcept> Concepts)
{
    /// <summary>Words that only framed the question ("nom", "année") and were left out of the search.</summary>
    public IReadOnlyList<string> Frames { get; init; } = [];

    public bool IsEmpty => Concepts.Count == 0;

    /// <summary>What the question asks about its topic (an age, a successor, a number of X), apart from the topic itself.</summary>
    public QuestionAsk Ask { get; init; } = QuestionAsk.None;

    /// <summary>
    /// What the question is about: its names (people, places, weapons, organisations), or, when it names none, its
    /// content words. A passage answers only when the sentence that says what is asked is about the topic.
    /// </summary>
    public IReadOnlyList<QueryConcept> Topic => Concepts.Any(c => c.IsName) ? Concepts.Where(c => c.IsName).ToList() : Concepts;

    /// <summary>
    /// Every word of a French question's content as written (folded, two letters or more, each once), function words
    /// included, for the reranker's exact-form BM25; empty for a question in another language.
    /// </summary>
    public IReadOnlyList<string> Words { get; init; } = [];

    /// <summary>
    /// What the reranker reads: the concepts and the longer function words ("pendant", "contre"), in the question's
    /// order (by default the concepts alone). Function words are never weighed as the topic: measured on PIAF dev, they
    /// help rank the paragraph; the evidence test ignores them.
    /// </summary>
    public IReadOnlyList<QueryConcept> Searched
    {
        get => _searched ?? Concepts;
        init => _searched = value;
    }

    private readonly IReadOnlyList<QueryConcept>? _searched;

    /// <summary>The function words among <see cref="Searched"/>.</summary>
    public IEnumerable<QueryConcept> FunctionWords => Searched.Except(Concepts);

    /// <summary>The reranker's query: <see cref="Searched"/>.</summary>
    public LexicalQuery Lexical => new(Searched.Select(c => new LexicalConcept(c.Alternatives)).Concat(Expansions).ToList()) { Words = Words };

    /// <summary>
    /// Paraphrases of the question's words that the index holds ("bombardent" → "frappes", "raids"), one set per word,
    /// searched at <see cref="ExpansionWeight"/> in the first ranking: "depuis quand les russes bombardent" finds
    /// "une campagne de frappes". Never weighed as the question's topic, nor read by the evidence test.
    /// </summary>
    public IReadOnlyList<LexicalConcept> Expansions { get; init; } = [];

    /// <summary>How much a paraphrase counts next to the word itself in the first ranking.</summary>
    public const float ExpansionWeight = 0.3f;

    /// <summary>The first ranking's query: the concepts (a function word has no postings) and their paraphrases.</summary>
    public LexicalQuery TopicLexical => new(Concepts.Select(c => new LexicalConcept(c.Alternatives)).Concat(Expansions).ToList());

    /// <summary>Every folded word of every concept (the keyword side of a vector-store hybrid search).</summary>
    public IReadOnlyList<string> Keywords => Concepts.SelectMany(c => c.Words).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Text for an embedding model: the cleaned question followed by the French words it was mapped to.</summary>
    public string EmbeddingText => string.Join(' ', Concepts.SelectMany(c => c.Words.Skip(1)).Distinct().Prepend(Cleaned));
}
