using ChatBot.Core.Foundation.Text;

namespace ChatBot.Tests.Corpus;

public sealed class SentenceSplitterTests
{
    private static List<string> Split(string text) => SentenceSplitter.Split(text).Select(s => s.Of(text)).ToList();

    [Fact]
    public void Splits_on_terminal_punctuation_and_line_breaks()
    {
        Assert.Equal(
            ["Première phrase.", "Deuxième phrase !", "Troisième ?", "Un titre", "Et la suite…"],
            Split("Première phrase. Deuxième phrase ! Troisième ?\nUn titre\nEt la suite…"));
    }

    [Fact]
    public void Does_not_split_after_abbreviations_initials_or_inside_numbers()
    {
        Assert.Equal(
            ["M. Poutine a rencontré J. Kerry à 10.30 avec 1.5 million de dollars, etc. selon l'AFP.", "Fin."],
            Split("M. Poutine a rencontré J. Kerry à 10.30 avec 1.5 million de dollars, etc. selon l'AFP. Fin."));
    }

    [Fact]
    public void Keeps_closing_quotes_with_their_sentence()
    {
        Assert.Equal(
            ["« Je ne veux même pas en parler. »", "Il est parti."],
            Split("« Je ne veux même pas en parler. » Il est parti."));
    }
}
