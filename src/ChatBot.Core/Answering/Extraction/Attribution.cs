using System.Text.RegularExpressions;

namespace ChatBot.Core.Answering.Extraction;

/// <summary>
/// Who a sentence says reported what it says: "…, a rapporté Defense News", "selon Reuters", "note The Guardian".
/// "Qui l'a rapporté ?" is answered by that when the sentence names it, by the article's source otherwise.
/// </summary>
public static partial class Attribution
{
    [GeneratedRegex(@"(?:\b(?:a|ont|avait|avaient)\s+rapporté|\brapporte(?:nt)?|\bselon|\bd'après|\bd’après|\bécrit|\bnote|\bciteant|\brelaie|\brévèle|\baffirme|\bindique)\s*,?\s*(?<name>(?:l'agence\s+|l’agence\s+|le journal\s+|le quotidien\s+|la chaîne\s+|le site\s+|the\s+)?\p{Lu}[\p{L}’'.-]*(?:\s+\p{Lu}[\p{L}’'.-]*){0,3})")]
    private static partial Regex Reported();

    [GeneratedRegex(@"«\s*(?<quote>.+?)\s*»\s*\[\d+\]")]
    private static partial Regex Quoted();

    /// <summary>The sentences an answer quoted (« … » [n]).</summary>
    public static IEnumerable<string> Quotes(string answer) => Quoted().Matches(answer).Select(m => m.Groups["quote"].Value);

    /// <summary>The source a sentence credits, if it credits a named one.</summary>
    public static string? Of(string sentence)
    {
        var match = Reported().Match(sentence);
        return match.Success ? match.Groups["name"].Value.TrimEnd('.', ',', ' ') : null;
    }
}
