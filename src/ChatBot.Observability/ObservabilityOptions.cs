using System.ComponentModel.DataAnnotations;

namespace ChatBot.Observability;

/// <summary>
/// <c>ChatBot:Observability</c>: where <c>run</c> serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c>
/// (nothing is served unless <see cref="Listen"/> is set), and where traces go (OTLP).
/// </summary>
public sealed class ObservabilityOptions : IValidatableObject
{
    public const string Section = "ChatBot:Observability";

    /// <summary>The address to serve on, e.g. <c>http://127.0.0.1:9464</c>; empty: not served.</summary>
    public string? Listen { get; set; }

    /// <summary>
    /// An OTLP collector (e.g. <c>http://127.0.0.1:4317</c>) that receives the traces of each answer's stages and the
    /// metrics; empty: none are sent (the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> variable also works).
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How OTLP is spoken: <c>grpc</c> (port 4317, the default) or <c>http/protobuf</c> (port 4318, paths <c>/v1/traces</c> and <c>/v1/metrics</c>).</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>The <c>service.name</c> that traces and metrics carry.</summary>
    [Required]
    public string ServiceName { get; set; } = "chatbot";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Listen) && !(Uri.TryCreate(Listen, UriKind.Absolute, out var listen) && listen.Scheme is "http" or "https"))
            yield return new ValidationResult($"ChatBot:Observability:Listen (environment: ChatBot__Observability__Listen) must be an http:// address such as http://127.0.0.1:9464, not '{Listen}'.", [nameof(Listen)]);
        if (!string.IsNullOrWhiteSpace(OtlpEndpoint) && !Uri.TryCreate(OtlpEndpoint, UriKind.Absolute, out _))
            yield return new ValidationResult($"ChatBot:Observability:OtlpEndpoint (environment: ChatBot__Observability__OtlpEndpoint) must be an absolute address such as http://127.0.0.1:4317, not '{OtlpEndpoint}'.", [nameof(OtlpEndpoint)]);
        if (ParseProtocol(OtlpProtocol) is null)
            yield return new ValidationResult($"ChatBot:Observability:OtlpProtocol (environment: ChatBot__Observability__OtlpProtocol) must be grpc or http/protobuf, not '{OtlpProtocol}'.", [nameof(OtlpProtocol)]);
    }

    /// <summary>The exporter's protocol for a setting's value; null when it names none.</summary>
    internal static OpenTelemetry.Exporter.OtlpExportProtocol? ParseProtocol(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "grpc" => OpenTelemetry.Exporter.OtlpExportProtocol.Grpc,
        "http/protobuf" or "http" or "httpprotobuf" => OpenTelemetry.Exporter.OtlpExportProtocol.HttpProtobuf,
        _ => null,
    };
}
