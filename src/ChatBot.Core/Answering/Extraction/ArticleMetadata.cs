using ChatBot.Core.Answering.Chat;
using ChatBot.Core.Foundation.Text;
using ChatBot.Core.Retrieval;
using ChatBot.Core.Retrieval.Understanding;

namespace ChatBot.Core.Answering.Extraction;

/// <summary>
/// Questions about an article itself ("qui l'a rapporté ?", "de quand date l'article ?") are answered from its
/// metadata, not from its text: the source, or the date (or that it has none).
/// </summary>
public static class ArticleMetadata
{
    public static GeneratedAnswer Answer(AnswerType type, Passage passage, Language language)
    {
        string text;
        string? shortAnswer;
        if (type == AnswerType.ArticleSource)
        {
            shortAnswer = passage.Source;
            text = shortAnswer is null
                ? BotMessages.Get("answer.source.unknown", language, passage.Title)
                : BotMessages.Get("answer.source", language, passage.Title, shortAnswer);
        }
        else
        {
            shortAnswer = passage.Published is null ? null : ReplyFormatter.FormatDate(passage.Published, language);
            text = shortAnswer is null
                ? BotMessages.Get("answer.undated", language, passage.Title)
                : BotMessages.Get("answer.published", language, passage.Title, shortAnswer);
        }
        var citation = new Citation(1, passage.ArticleId, passage.Title, passage.Source, passage.Published, passage.Url,
            SentenceSplitter.Split(passage.ArticleText, passage.Start, passage.End).Select(s => s.Of(passage.ArticleText).Trim()).FirstOrDefault(s => s.Length >= 20) ?? passage.Title);
        return new GeneratedAnswer(text + " [1]", [citation]) { ShortAnswer = shortAnswer };
    }
}
