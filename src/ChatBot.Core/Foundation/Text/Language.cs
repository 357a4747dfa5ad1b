namespace ChatBot.Core.Foundation.Text;

/// <summary>The languages the bot reads and answers in: the corpus's (French) and its users' other one (English).</summary>
public enum Language
{
    French,
    English,
}
