using System.Buffers;

namespace ChatBot.Core.Foundation.Text;

/// <summary>
/// <see cref="TextFolding.Fold"/> one word at a time without allocating: each character's folded form is worked out
/// once (by <see cref="TextFolding.Fold"/> itself, so both always agree) and kept in a table. Indexing 100k chunks
/// folds some 15 million words; a normalisation and a builder per word was most of the analysis time.
/// </summary>
public static class WordFolder
{
    /// <summary>The folded form of each UTF-16 code unit, filled on first use; null until then.</summary>
    private static readonly string?[] Table = new string?[char.MaxValue + 1];

    private static readonly SearchValues<char> AsciiLowerOrDigit = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789");

    /// <summary>A word character: a letter, a digit or a combining mark (which folding then drops).</summary>
    public static bool IsWordChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c > 0x7F && (char.IsLetterOrDigit(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark);

    /// <summary>
    /// The next run of word characters at or after <paramref name="position"/>, which moves past it; false at the end.
    /// The one word scan of the lexical index (indexing, reading a chunk, title keys).
    /// </summary>
    public static bool NextWord(ReadOnlySpan<char> text, ref int position, out int start, out int end)
    {
        var i = position;
        while (i < text.Length && !IsWordChar(text[i]))
            i++;
        start = i;
        while (i < text.Length && IsWordChar(text[i]))
            i++;
        end = position = i;
        return end > start;
    }

    /// <summary>
    /// Folds <paramref name="word"/> into <paramref name="destination"/> and returns the length written, or -1 when the
    /// destination is too small (a folded character may take two: œ → oe).
    /// </summary>
    public static int Fold(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (!word.ContainsAnyExcept(AsciiLowerOrDigit))
        {
            if (word.Length > destination.Length)
                return -1;
            word.CopyTo(destination);
            return word.Length;
        }
        var length = 0;
        foreach (var c in word)
        {
            var folded = Of(c);
            if (length + folded.Length > destination.Length)
                return -1;
            folded.CopyTo(destination[length..]);
            length += folded.Length;
        }
        return length;
    }

    /// <summary>The folded word as a string (allocates; for words not seen before).</summary>
    public static string Fold(ReadOnlySpan<char> word)
    {
        Span<char> buffer = stackalloc char[Math.Min(word.Length * 2, 256)];
        var length = Fold(word, buffer);
        return length >= 0 ? new string(buffer[..length]) : TextFolding.Fold(word.ToString());
    }

    private static string Of(char c)
    {
        if (char.IsSurrogate(c))
            return c.ToString(); // a pair folds as itself; a lone half never reaches here (texts are cleaned first)
        return Table[c] ??= TextFolding.Fold(c.ToString());
    }
}
