using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>The phrase lists of <c>Resources/boilerplate.txt</c>, folded for comparison.</summary>
public sealed class BoilerplatePhrases
{
    public IReadOnlyList<string> Line { get; }
    public IReadOnlyList<string> Tail { get; }
    public IReadOnlyList<string> Embed { get; }

    private BoilerplatePhrases(IReadOnlyList<string> line, IReadOnlyList<string> tail, IReadOnlyList<string> embed) =>
        (Line, Tail, Embed) = (line, tail, embed);

    public static BoilerplatePhrases Default { get; } = Load(EmbeddedData.Lines("boilerplate.txt"));

    public static BoilerplatePhrases Load(IEnumerable<string> lines)
    {
        var sections = new Dictionary<string, List<string>> { ["line"] = [], ["tail"] = [], ["embed"] = [] };
        List<string>? current = null;
        foreach (var line in lines)
        {
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                current = sections.GetValueOrDefault(line[1..^1])
                    ?? throw new FormatException($"boilerplate.txt: unknown section {line}");
                continue;
            }
            (current ?? throw new FormatException("boilerplate.txt: a phrase comes before any [section]"))
                .Add(TextFolding.Fold(line));
        }
        return new BoilerplatePhrases(sections["line"], sections["tail"], sections["embed"]);
    }
}
