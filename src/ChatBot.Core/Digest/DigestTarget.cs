using System.Globalization;

namespace ChatBot.Core.Digest;

/// <summary>A chat that receives digests: a platform and that platform's id for it.</summary>
public sealed record DigestTarget(string Platform, string Id)
{
    public override string ToString() => $"{Platform}:{Id}";

    public static bool TryParse(string text, out DigestTarget target)
    {
        target = null!;
        var parts = text.Trim().Split(':', 2);
        if (parts.Length != 2 || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            return false;
        var platform = parts[0].ToLowerInvariant();
        if (platform is not ("telegram" or "discord"))
            return false;
        target = new DigestTarget(platform, parts[1]);
        return true;
    }
}
