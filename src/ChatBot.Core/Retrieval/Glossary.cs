using System.Collections.Frozen;
using ChatBot.Core.Text;

namespace ChatBot.Core.Retrieval;

/// <summary>English → French word equivalents (<c>Resources/glossary-en-fr.tsv</c>) for English questions.</summary>
public sealed class Glossary(FrozenDictionary<string, string[]> entries)
{
    public static Glossary EnglishToFrench { get; } = Load("glossary-en-fr.tsv");

    public IReadOnlyList<string> Translate(string foldedWord) =>
        entries.TryGetValue(foldedWord, out var french) ? french : [];

    private static Glossary Load(string file) => new(EmbeddedData.Lines(file)
        .Select(line => line.Split('\t', 2))
        .Where(parts => parts.Length == 2)
        .GroupBy(parts => TextFolding.Fold(parts[0].Trim()))
        .ToFrozenDictionary(g => g.Key, g => g.SelectMany(p => p[1].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct().ToArray()));
}
