using System.Globalization;
using System.Text;

namespace ChatBot.Core.Foundation.Text;

/// <summary>Case and accent folding shared by indexing, querying and boilerplate matching.</summary>
public static class TextFolding
{
    /// <summary>Lower-cases, removes diacritics and unifies apostrophes and dashes.</summary>
    public static string Fold(string text)
    {
        var decomposed = WithoutLoneSurrogates(text).Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
                continue;
            switch (c)
            {
                case '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4':
                    builder.Append('\'');
                    break;
                case '\u2013' or '\u2014' or '\u2010' or '\u2011':
                    builder.Append('-');
                    break;
                case '\u00A0' or '\u202F' or '\u2007':
                    builder.Append(' ');
                    break;
                case 'œ' or 'Œ':
                    builder.Append("oe");
                    break;
                case 'æ' or 'Æ':
                    builder.Append("ae");
                    break;
                default:
                    builder.Append(char.ToLowerInvariant(c));
                    break;
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// Text from the outside (a JSON escape, a truncated emoji) may hold half a surrogate pair, which Unicode
    /// normalisation refuses: it becomes U+FFFD.
    /// </summary>
    public static string WithoutLoneSurrogates(string text)
    {
        StringBuilder? fixedText = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(text[i - 1]));
            if (paired && fixedText is null)
                continue;
            fixedText ??= new StringBuilder(text, 0, i, text.Length);
            fixedText.Append(paired ? c : '\uFFFD');
        }
        return fixedText?.ToString() ?? text;
    }

    /// <summary>
    /// Collapses runs of whitespace (including non-breaking spaces, and control characters such as NUL, which no
    /// store should have to hold) to one space and trims.
    /// </summary>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\u00A0' || c == '\u202F' || char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                pendingSpace = builder.Length > 0;
                continue;
            }
            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }
}
