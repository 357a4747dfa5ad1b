using System.Security.Cryptography;
using System.Text;

namespace ChatBot.Core.Ingestion.Corpus;

public static class ContentHash
{
    /// <summary>
    /// Bumped whenever cleaning or chunking changes, so that every article is processed again rather than keeping
    /// chunks made by older rules.
    /// </summary>
    public const string PipelineVersion = "pipeline-3";

    public static string Of(params ReadOnlySpan<string?> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(PipelineVersion));
        foreach (var part in parts)
        {
            hash.AppendData([0]);
            if (part is not null)
                hash.AppendData(Encoding.UTF8.GetBytes(part));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
