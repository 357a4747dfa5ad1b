using ChatBot.Core.Foundation.Text;

namespace ChatBot.Core.Ingestion.Corpus;

/// <summary>
/// Cuts an article into chunks of whole sentences (paragraph breaks are sentence breaks), about
/// <see cref="ChunkingOptions.TargetChars"/> long, each starting with the last sentences of the one before.
/// </summary>
public sealed class Chunker(ChunkingOptions options)
{
    public List<ChunkSpan> Chunk(string articleId, string text)
    {
        var sentences = BreakOverlongSentences(text, SentenceSplitter.Split(text));
        var chunks = new List<ChunkSpan>();
        var i = 0;
        while (i < sentences.Count)
        {
            var j = i;
            while (j < sentences.Count && (j == i || sentences[j].End - sentences[i].Start <= options.TargetChars))
                j++;
            var start = sentences[i].Start;
            var end = sentences[j - 1].End;
            chunks.Add(new ChunkSpan(articleId, chunks.Count, start, end, text[start..end]));
            if (j >= sentences.Count)
                break;
            i = Math.Max(i + 1, j - options.OverlapSentences);
        }
        return chunks;
    }

    /// <summary>
    /// A "sentence" longer than a chunk can hold is not prose (a table, a dump without punctuation): it is cut at
    /// spaces so that it still fits, the one case where a chunk may end inside a sentence.
    /// </summary>
    private List<SentenceSpan> BreakOverlongSentences(string text, List<SentenceSpan> sentences)
    {
        var limit = options.TargetChars * 2;
        if (sentences.TrueForAll(s => s.Length <= limit))
            return sentences;
        var result = new List<SentenceSpan>(sentences.Count);
        foreach (var sentence in sentences)
        {
            var start = sentence.Start;
            while (sentence.End - start > limit)
            {
                var cut = text.LastIndexOf(' ', start + options.TargetChars, options.TargetChars / 2);
                if (cut <= start)
                    cut = start + options.TargetChars;
                result.Add(new SentenceSpan(start, cut));
                start = cut;
                while (start < sentence.End && text[start] == ' ')
                    start++;
            }
            if (start < sentence.End)
                result.Add(new SentenceSpan(start, sentence.End));
        }
        return result;
    }
}
