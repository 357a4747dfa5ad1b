using ChatBot.Core.Foundation.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace ChatBot.Observability;

public static class ObservabilityServiceCollectionExtensions
{
    /// <summary>
    /// The observability settings (validated at start-up), and, when an OTLP endpoint is configured
    /// (<c>ChatBot:Observability:OtlpEndpoint</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), the traces of every answer's
    /// stages and the bot's metrics sent there, for every command.
    /// </summary>
    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ObservabilityOptions>().Bind(builder.Configuration.GetSection(ObservabilityOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var otlp = builder.Configuration[$"{ObservabilityOptions.Section}:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(otlp))
            otlp = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT");
        var protocol = ObservabilityOptions.ParseProtocol(builder.Configuration[$"{ObservabilityOptions.Section}:OtlpProtocol"]);
        if (!string.IsNullOrWhiteSpace(otlp) && Uri.TryCreate(otlp, UriKind.Absolute, out var endpoint) && protocol is { } chosen)
        {
            var service = builder.Configuration[$"{ObservabilityOptions.Section}:ServiceName"] is { Length: > 0 } name ? name : "chatbot";
            // Over HTTP each signal has its own path under the collector's address; gRPC takes the address alone.
            Uri For(string signal) => chosen == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + "/v1/" + signal) : endpoint;
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(service))
                .WithTracing(t => t.AddSource(BotMetrics.MeterName).AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (For("traces"), chosen)))
                .WithMetrics(m => m.AddMeter(BotMetrics.MeterName).AddOtlpExporter(o => (o.Endpoint, o.Protocol) = (For("metrics"), chosen)));
        }
        return builder;
    }

    /// <summary>
    /// Serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> while the host runs, when it is configured to listen:
    /// started before every other hosted service, so that a supervisor sees the process alive (and not yet ready)
    /// while the index opens and the corpus is read.
    /// </summary>
    public static IHostApplicationBuilder AddObservabilityServer(this IHostApplicationBuilder builder)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{ObservabilityOptions.Section}:Listen"]))
        {
            builder.Services.AddSingleton<ObservabilityService>();
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(sp => sp.GetRequiredService<ObservabilityService>()));
        }
        return builder;
    }
}
