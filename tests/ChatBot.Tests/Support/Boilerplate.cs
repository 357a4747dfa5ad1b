namespace ChatBot.Tests.Support;

/// <summary>Page furniture found in the seed files; none of it may reach the index or a quote.</summary>
public static class Boilerplate
{
    public static readonly string[] Phrases =
    [
        "Partager cet article", "Copier/coller", "Copy to clipboard", "Lien copié", "Close Button", "PUBLICITÉ", "Publicité",
        "Newsletter", "Suivez-nous", "Loader", "À découvrir également", "Tous droits réservés", "pic.twitter.com", "t.co/",
        "Accéder aux raccourcis", "Jerusalem Timing", "Par Euronews", "Avec AFP", "Publié le",
    ];

    public static string? FindIn(string text) =>
        Phrases.FirstOrDefault(p => text.Contains(p, StringComparison.OrdinalIgnoreCase));
}
