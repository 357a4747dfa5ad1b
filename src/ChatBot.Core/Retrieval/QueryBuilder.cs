using ChatBot.Core.Text;

namespace ChatBot.Core.Retrieval;

/// <summary>Turns a question into term groups: function words dropped, English words paired with French ones.</summary>
public sealed class QueryBuilder(TextAnalyzer analyzer, Glossary glossary)
{
    public Query Build(string question)
    {
        var language = LanguageDetector.Detect(question);
        var groups = new List<QueryTermGroup>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var first = true;
        foreach (var token in analyzer.Tokenize(question))
        {
            // Names, acronyms and years: what a question is about. One the corpus never mentions means it cannot answer.
            var isName = !first && char.IsUpper(token.Surface[0]) || token.Surface.Length > 1 && token.Surface.All(char.IsUpper);
            first = false;
            if (token.Term is null || !seen.Add(token.Term))
                continue;
            var terms = new HashSet<string>(StringComparer.Ordinal) { token.Term };
            var translations = language == Language.English ? glossary.Translate(token.Folded) : [];
            foreach (var french in translations)
                terms.UnionWith(analyzer.Terms(french));
            var group = new QueryTermGroup(token.Surface, translations, terms);
            groups.Add(group with { IsName = isName || group.IsYear });
        }
        return new Query(question, language, groups);
    }
}
