namespace ChatBot.Core.Foundation.Text;

/// <summary>Reads the word lists and phrase files shipped in <c>Resources/</c>.</summary>
internal static class EmbeddedData
{
    public static IEnumerable<string> Lines(string fileName)
    {
        var assembly = typeof(EmbeddedData).Assembly;
        using var stream = assembly.GetManifestResourceStream("ChatBot.Core.Resources." + fileName)
            ?? throw new InvalidOperationException($"Embedded data file '{fileName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
                lines.Add(trimmed);
        }
        return lines;
    }

    /// <summary>A whole resource file as text.</summary>
    public static string Text(string fileName)
    {
        var assembly = typeof(EmbeddedData).Assembly;
        using var stream = assembly.GetManifestResourceStream("ChatBot.Core.Resources." + fileName)
            ?? throw new InvalidOperationException($"Embedded data file '{fileName}' is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public static IEnumerable<string> Words(string fileName) =>
        Lines(fileName).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
