using System.Text.RegularExpressions;
using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Answering;

/// <summary>What sort of answer a question asks for, read from its interrogative words.</summary>
public enum QuestionKind
{
    Other,
    Time,
    Quantity,
    Person,
    Place,
}

public static partial class QuestionKinds
{
    [GeneratedRegex(@"\b(quand|en quelle annee|a quelle date|depuis quand|when|what year|which year|what date)\b")]
    private static partial Regex Time();

    [GeneratedRegex(@"\b(combien|quel nombre|how many|how much|what number)\b")]
    private static partial Regex Quantity();

    [GeneratedRegex(@"^(qui|who|whom)\b|\b(qui est|qui a|par qui|avec qui|who is|who was|who could|who will|quel (president|ministre|dirigeant|chef|porte-parole|general|responsable))\b")]
    private static partial Regex Person();

    [GeneratedRegex(@"\b(ou|where|quelle (ville|region|base|pays)|quel pays|which (city|country|region)|pres de quelle)\b")]
    private static partial Regex Place();

    public static QuestionKind Of(string question)
    {
        var folded = TextFolding.Fold(question);
        if (Time().IsMatch(folded)) return QuestionKind.Time;
        if (Quantity().IsMatch(folded)) return QuestionKind.Quantity;
        if (Person().IsMatch(folded)) return QuestionKind.Person;
        if (Place().IsMatch(folded)) return QuestionKind.Place;
        return QuestionKind.Other;
    }
}
