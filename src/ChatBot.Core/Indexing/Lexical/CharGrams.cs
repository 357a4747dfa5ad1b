namespace ChatBot.Core.Indexing.Lexical;

/// <summary>
/// Character 4-grams of a folded word, with its edges marked (<c>&lt;word&gt;</c>): they match spellings that share
/// most of their letters (Dehgan/Dehghan, Choïgou/Shoigu) where whole-word terms do not. A number is one gram.
/// </summary>
public static class CharGrams
{
    public const int N = 4;

    public static IEnumerable<string> Of(string folded)
    {
        if (folded.Length == 0)
            yield break;
        if (!char.IsLetter(folded[0]))
        {
            yield return folded;
            yield break;
        }
        var padded = $"<{folded}>";
        if (padded.Length <= N)
        {
            yield return padded;
            yield break;
        }
        for (var i = 0; i + N <= padded.Length; i++)
            yield return padded.Substring(i, N);
    }
}
