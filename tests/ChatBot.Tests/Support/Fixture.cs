namespace ChatBot.Tests.Support;

/// <summary>Paths of the files copied from <c>Fixtures/</c> next to the test assembly.</summary>
public static class Fixture
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string SeedCorpus => Path.Combine(Root, "corpus");

    public static string Eval(string file) => Path.Combine(Root, "eval", file);

    public static IEnumerable<string> SeedFiles => Directory.GetFiles(SeedCorpus, "*.txt").Order();

    public static string SeedText(string id) => File.ReadAllText(Path.Combine(SeedCorpus, id + ".txt"));
}
