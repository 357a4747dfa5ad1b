using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using ChatBot.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatBot.Cli;

internal static class CliHelpers
{
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static Option<int?> TopKOption()
    {
        var option = new Option<int?>("--top-k") { Description = "Number of passages to retrieve (1-50)." };
        option.Validators.Add(result =>
        {
            // Checked from the token: a value that is not a number must be a usage error, not a conversion exception.
            if (result.Tokens.Count > 0 && (!int.TryParse(result.Tokens[^1].Value, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var topK) || topK is < 1 or > 50))
                result.AddError($"--top-k must be a whole number between 1 and 50 (got '{result.Tokens[^1].Value}').");
        });
        return option;
    }

    /// <summary>Brings the index up to date before a query; returns false (after saying why) when there is nothing to query.</summary>
    public static async Task<bool> EnsureIndexAsync(CliApp app, IHost host, CancellationToken cancellationToken)
    {
        var ingester = host.Services.GetRequiredService<CorpusIngester>();
        var report = await IndexProgressReporter.RunAsync(app, ingester, cancellationToken);
        var counts = await host.Services.GetRequiredService<ChatBot.Core.Indexing.IIndexStore>().GetCountsAsync(cancellationToken);
        if (counts.Chunks > 0)
            return true;
        await app.Error.WriteLineAsync(report.Files == 0
            ? $"error: the corpus folder '{report.CorpusPath}' has no articles (.txt, .md, .html or .jsonl files). Add some, or set ChatBot:Corpus:Path."
            : $"error: none of the {report.Files} files in '{report.CorpusPath}' could be indexed; see the warnings above.");
        return false;
    }
}
