using System.Collections.Frozen;

namespace ChatBot.Core.Foundation.Text;

/// <summary>Tells French from English by their function words; French wins ties because the corpus is French.</summary>
public static class LanguageDetector
{
    private static readonly FrozenSet<string> French = Set("le la les des du un une est et à au aux que qui quel quelle quels quelles quand où comment pourquoi combien dans pour sur avec ce cette il elle ils ont sont de l d qu");
    // "a" is no English word here: it is also French ("il a", "à" typed without its accent), as in "qui poutine a vu a teheran".
    private static readonly FrozenSet<string> English = Set("the an is are was were and of to in on for with who what when where which why how did does do has have this that it its from by could would should");

    public static Language Detect(string text)
    {
        int french = 0, english = 0;
        foreach (var token in TextAnalyzer.Shared.Tokenize(text))
        {
            if (French.Contains(token.Folded)) french++;
            if (English.Contains(token.Folded)) english++;
        }
        if (HasFrenchLetters(text))
            french++;
        return english > french ? Language.English : Language.French;
    }

    private static readonly System.Buffers.SearchValues<char> FrenchLetters = System.Buffers.SearchValues.Create("éèêàçùûôîœ");

    private static bool HasFrenchLetters(string text) => text.AsSpan().IndexOfAny(FrenchLetters) >= 0;

    private static FrozenSet<string> Set(string words) =>
        words.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
}
