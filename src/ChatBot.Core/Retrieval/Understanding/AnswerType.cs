using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Retrieval.Understanding;

/// <summary>What kind of answer a question asks for.</summary>
public enum AnswerType
{
    Other,
    Person,
    Date,
    Place,
    Number,
    Age,
    Reason,
    YesNo,
    List,
    Definition,

    /// <summary>"Which aircraft…?", "Quel accord…?": a named thing (a name, a model, a code).</summary>
    Entity,

    /// <summary>Who published an article ("qui l'a rapporté ?", "quelle est la source ?").</summary>
    ArticleSource,

    /// <summary>When an article was published ("de quand date l'article ?").</summary>
    ArticleDate,
}

/// <summary>Reads the expected <see cref="AnswerType"/> off a question's interrogative words (French and English).</summary>
public static partial class AnswerTypes
{
    [GeneratedRegex(@"\b(qui l'a (rapporte|ecrit|publie|dit|annonce)|qui a (rapporte|ecrit|publie) (cet|l'|ce|cette)|quelle (est la |)(source|agence)|(de |)quel (media|journal|site)|d'ou vient (l'info|l'information|cette info|l'article|cet article)|who (reported|wrote|published) (it|this|that|the article)|what (is the |)source|which (outlet|agency|source|media))\b")]
    private static partial Regex Source();

    [GeneratedRegex(@"\b(de quand date|quand (a ete|est) (publie|paru|sorti)|quelle est la date (de l'article|de publication|de cet article)|date de (l'article|publication)|when was (it|this|the article) (published|written)|publication date)\b")]
    private static partial Regex Published();

    [GeneratedRegex(@"\b(quel age|quel âge|how old|age de|age a)\b")]
    private static partial Regex Age();

    [GeneratedRegex(@"\b(quand|en quelle annee|a quelle date|quelle date|quel jour|quel mois|quelle annee|quel siecle|a quel moment|depuis quand|jusqu'a quand|when|what year|which year|what date|what day|what month|since when)\b")]
    private static partial Regex Date();

    [GeneratedRegex(@"\b(combien|quel nombre|quel est le nombre|quel montant|quel pourcentage|quelle quantite|quelle proportion|quelle somme|quel prix|how many|how much|what number|what percentage|what amount)\b")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(pourquoi|pour quelle raison|quelle raison|quelles raisons|why|for what reason|what reason)\b")]
    private static partial Regex Reason();

    [GeneratedRegex(@"^(ou|d'ou|where)\b|\b(ou (se trouve|se situe|est|sont|a|ont|se)|dans quelle (ville|region|province|localite)|dans quel (pays|endroit|lieu|etat|departement)|quelle (ville|region|base|localite)|quels? (pays|endroits?|lieux?)|pres de quelle|where|which (city|cities|country|countries|region|regions|place|places|town|towns|base|bases))\b")]
    private static partial Regex Place();

    [GeneratedRegex(@"^(qu'est-ce que|qu'est ce que|c'est quoi|que (signifie|veut dire|designe)|what is|what are|what does .* mean|define)\b")]
    private static partial Regex Definition();

    /// <summary>"C'est quoi la base que les Russes utilisaient ?": which one, not what a base is.</summary>
    [GeneratedRegex(@"^(c'est quoi|qu'est-ce que|qu'est ce que|what is|what was)\s+(le|la|les|l'|the)\s*\p{L}+(\s+\p{L}+)?\s+(que|qu'|qui|dont|ou|that|which|where|who)\b")]
    private static partial Regex WhatIsTheOne();

    /// <summary>"Qui est Sergueï Choïgou ?" asks what he is; "Qui est le ministre … ?" asks for a person.</summary>
    [GeneratedRegex(@"^(?i:qui est|qui sont|qui était|who is|who are|who was)\s+\p{Lu}")]
    private static partial Regex WhoIsName();

    [GeneratedRegex(@"^(qui|who|whom)\b|\b(qui (est|a|ont|sont|etait|fut|dirige|preside)|par qui|avec qui|a qui|de qui|who|whom|quel(le)? (president|presidente|ministre|dirigeant|chef|porte-parole|general|responsable|personne|homme|femme|journaliste|diplomate|ambassadeur|guide|roi|reine|premier ministre|vice-premier ministre)|which (president|minister|leader|official|person|spokesman|general))\b")]
    private static partial Regex Person();

    [GeneratedRegex(@"^(quels sont|quelles sont|what are the|name the|liste|citez|enumerez)\b")]
    private static partial Regex List();

    [GeneratedRegex(@"\b(quel|quelle|quels|quelles|which|what)\s+(?!(est|sont|etait|etaient|a|ont|is|are|was|were|did|does|do|has|have)\b)\p{L}")]
    private static partial Regex WhichNoun();

    [GeneratedRegex(@"^(est-ce que|est ce que|est-ce qu|y a-t-il|y a t il|y a-t-il eu|a-t-il|a-t-elle|ont-ils|ont-elles|est-il|est-elle|sont-ils|sont-elles|peut-on|faut-il|is|are|was|were|does|do|did|has|have|had|can|could|will|would|should)\b|^\p{L}+-t-(il|elle|ils|elles|on)\b|^\p{L}+-(il|elle|ils|elles|on)\b")]
    private static partial Regex YesNo();

    /// <summary>The answer type of a question (with chat abbreviations already expanded).</summary>
    public static AnswerType Of(string question)
    {
        var q = TextFolding.Fold(question).Trim();
        if (WhoIsName().IsMatch(question.Trim())) return AnswerType.Definition;
        if (Source().IsMatch(q)) return AnswerType.ArticleSource;
        if (Published().IsMatch(q)) return AnswerType.ArticleDate;
        if (Age().IsMatch(q)) return AnswerType.Age;
        if (Date().IsMatch(q)) return AnswerType.Date;
        if (Number().IsMatch(q)) return AnswerType.Number;
        if (Reason().IsMatch(q)) return AnswerType.Reason;
        if (Place().IsMatch(q)) return AnswerType.Place;
        if (WhatIsTheOne().IsMatch(q)) return AnswerType.Entity;
        if (Definition().IsMatch(q)) return AnswerType.Definition;
        if (Person().IsMatch(q)) return AnswerType.Person;
        if (List().IsMatch(q)) return AnswerType.List;
        if (WhichNoun().IsMatch(q)) return AnswerType.Entity;
        if (YesNo().IsMatch(q)) return AnswerType.YesNo;
        return AnswerType.Other;
    }
}
