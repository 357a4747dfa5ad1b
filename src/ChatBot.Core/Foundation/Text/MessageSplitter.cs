using System.Text;

namespace ChatBot.Core.Foundation.Text;

/// <summary>
/// How both platforms cut a long reply into messages: at the best boundary a piece allows (a line break, else a space,
/// in the second half of the room; else anywhere but inside an emoji's surrogate pair), and pieces packed back
/// together, a blank line apart, as long as a message has room.
/// </summary>
public static class MessageSplitter
{
    /// <summary>Where to cut <paramref name="text"/> so that the first part holds at most <paramref name="fits"/> characters.</summary>
    public static int BoundaryBefore(string text, int fits)
    {
        if (fits >= text.Length)
            return text.Length;
        if (fits <= 0)
            return 0;
        if (char.IsHighSurrogate(text[fits - 1]))
            fits--; // never split an emoji's surrogate pair
        var line = text.LastIndexOf('\n', Math.Max(0, fits - 1), fits);
        if (line > fits / 2)
            return line;
        var space = text.LastIndexOf(' ', Math.Max(0, fits - 1), fits);
        return space > fits / 2 ? space : fits;
    }

    /// <summary>Plain text cut into pieces of at most <paramref name="limit"/> characters at <see cref="BoundaryBefore"/>.</summary>
    public static IEnumerable<string> Fit(string text, int limit)
    {
        var rest = text;
        while (rest.Length > limit)
        {
            var cut = BoundaryBefore(rest, limit);
            yield return rest[..cut].TrimEnd();
            rest = rest[cut..].TrimStart();
        }
        if (rest.Length > 0)
            yield return rest;
    }

    /// <summary>Pieces (each within <paramref name="limit"/>) joined by blank lines into as few messages as fit; at least one message.</summary>
    public static List<string> Pack(IEnumerable<string> pieces, int limit)
    {
        var messages = new List<string>();
        var current = new StringBuilder();
        foreach (var piece in pieces)
        {
            if (current.Length > 0 && current.Length + 2 + piece.Length > limit)
            {
                messages.Add(current.ToString());
                current.Clear();
            }
            if (current.Length > 0)
                current.Append("\n\n");
            current.Append(piece);
        }
        if (current.Length > 0 || messages.Count == 0)
            messages.Add(current.ToString());
        return messages;
    }
}
