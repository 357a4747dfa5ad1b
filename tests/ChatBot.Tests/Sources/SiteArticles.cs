using ChatBot.FixtureSite;

namespace ChatBot.Tests.Sources;

/// <summary>Made-up news articles for the fixture site, each stating its date a different way.</summary>
internal static class SiteArticles
{
    public static SiteArticle Escadre { get; } = new("escadre-bandar-abbas", "Une escadre russe fait escale à Bandar Abbas", new DateOnly(2025, 3, 3),
    [
        "Trois navires de la flottille russe de la Caspienne ont fait escale à Bandar Abbas, port iranien du golfe Persique, pour des manœuvres communes avec la marine iranienne.",
        "Selon le commandant de la flottille, l'exercice naval baptisé « Ceinture de sécurité maritime » doit durer quatre jours et réunir une dizaine de bâtiments.",
    ], DateStyle.OpenGraph, "Claire Martin");

    public static SiteArticle Drones { get; } = new("drones-shahed", "Téhéran livre de nouveaux drones à Moscou", new DateOnly(2025, 2, 10),
    [
        "L'Iran a livré à la Russie un nouveau lot de drones Shahed, affirment des responsables ukrainiens, qui évoquent plusieurs centaines d'appareils acheminés par la mer Caspienne.",
        "Téhéran dément toute livraison depuis le début de l'année et parle d'accusations sans fondement.",
    ], DateStyle.JsonLd);

    public static SiteArticle Gaz { get; } = new("accord-gazier", "Gazprom signe un accord gazier avec l'Iran", new DateOnly(2025, 1, 20),
    [
        "Gazprom et la Compagnie nationale iranienne du gaz ont signé un protocole d'accord portant sur la livraison de gaz russe vers l'Iran par l'Azerbaïdjan.",
        "Les volumes annoncés atteindraient deux milliards de mètres cubes par an dans un premier temps, selon le ministre iranien du Pétrole.",
    ], DateStyle.TimeElement);

    public static SiteArticle Ble { get; } = new("exportations-ble", "La Russie exporte du blé vers l'Iran", new DateOnly(2024, 12, 5),
    [
        "La Russie a exporté deux millions de tonnes de blé vers l'Iran au cours de la dernière campagne agricole, un record selon l'union russe des céréaliers.",
        "Les cargaisons transitent surtout par le port d'Astrakhan et la mer Caspienne.",
    ], DateStyle.PublishedLine);

    public static SiteArticle SansDate { get; } = new("centrale-bouchehr", "Rosatom étudie une nouvelle tranche à Bouchehr", new DateOnly(2025, 4, 1),
    [
        "Rosatom étudie la construction d'une nouvelle tranche à la centrale nucléaire de Bouchehr, sur la côte iranienne du golfe Persique.",
        "Le directeur de l'agence russe a évoqué un calendrier de dix ans pour les travaux.",
    ], DateStyle.None);

    public static IReadOnlyList<SiteArticle> All { get; } = [Escadre, Drones, Gaz, Ble, SansDate];
}
