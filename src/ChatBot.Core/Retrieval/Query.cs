using ChatBot.Core.Text;

namespace ChatBot.Core.Retrieval;

/// <summary>
/// One content word of a question with the index terms that count as it: its own stem, plus the stems of its French
/// equivalents when the question is in English. <see cref="IsName"/>: written with a capital inside the question
/// (or in capitals), so most likely a name: the thing the question is about.
/// </summary>
public sealed record QueryTermGroup(string Word, IReadOnlyList<string> Translations, IReadOnlySet<string> Terms, bool IsName = false)
{
    /// <summary>A year (1900–2099): a name-like word that a publication date may also account for.</summary>
    public bool IsYear => Word.Length == 4 && (Word.StartsWith("19", StringComparison.Ordinal) || Word.StartsWith("20", StringComparison.Ordinal)) && Word.All(char.IsAsciiDigit);
}

/// <summary>A question prepared for retrieval.</summary>
public sealed record Query(string Text, Language Language, IReadOnlyList<QueryTermGroup> Groups)
{
    /// <summary>Words for the keyword search: the question's own and their translations.</summary>
    public IReadOnlyList<string> Keywords => Groups.SelectMany(g => g.Translations.Prepend(g.Word)).Distinct().ToList();

    /// <summary>Text for the embedding: the question followed by the translations of its words.</summary>
    public string EmbeddingText => string.Join(' ', Groups.SelectMany(g => g.Translations).Prepend(Text));
}
