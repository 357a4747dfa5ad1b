using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using ChatBot.Core.Foundation.Diagnostics;
using ChatBot.Sources.Pages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ChatBot.Sources.Fetching;

/// <summary>
/// Fetches web pages as a well-behaved crawler: a User-Agent naming the bot (and its contact page), robots.txt honoured
/// before any other request to a host (RFC 9309: a 4xx robots.txt allows everything, an unreachable one nothing), one
/// request at a time per host and at least <see cref="SourcesOptions.PerHostIntervalMs"/> apart (or the
/// <c>Crawl-delay</c>), conditional GETs (a 304 costs nothing), at most <see cref="SourcesOptions.MaxRedirects"/>
/// redirects, a time limit, a limit on the bytes sent and on what they decompress to, and content types checked. A
/// failure is a <see cref="FetchResult"/> with a one-line reason, never an exception (but cancellation).
/// </summary>
public sealed partial class PoliteFetcher(IHttpClientFactory clients, IOptions<SourcesOptions> options, TimeProvider time, BotMetrics metrics, ILogger<PoliteFetcher> logger)
{
    public const string ClientName = "ChatBot.Sources";

    private static readonly TimeSpan RobotsLifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan UnreachableRobotsLifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, HostSlot> _hosts = new(StringComparer.Ordinal);

    /// <summary>Raised when a request waits its turn for a host (after the wait has begun), with how long it waits.</summary>
    internal event Action<Uri, TimeSpan>? Waiting;

    /// <summary>Requests sent, for tests and the benchmark.</summary>
    public int Requests => _requests;

    private int _requests;

    static PoliteFetcher() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    /// <summary>One fetch, counted in <c>chatbot_source_fetches_total</c> by its outcome (ok, not_modified, gone, disallowed, failed).</summary>
    public async Task<FetchResult> FetchAsync(Uri url, FetchKind kind, string? validators, CancellationToken cancellationToken)
    {
        var result = await FetchOnceAsync(url, kind, validators, cancellationToken);
        metrics.SourceFetched(result.Status switch
        {
            FetchStatus.Ok => "ok",
            FetchStatus.NotModified => "not_modified",
            FetchStatus.Gone => "gone",
            FetchStatus.Disallowed => "disallowed",
            _ => "failed",
        });
        return result;
    }

    private async Task<FetchResult> FetchOnceAsync(Uri url, FetchKind kind, string? validators, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(o.TimeoutSeconds));
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var current = url;
        try
        {
            for (var hop = 0; ; hop++)
            {
                if (!visited.Add(current.AbsoluteUri))
                    return new FetchResult(FetchStatus.Failed, current, $"redirect loop at {current}");
                if (kind != FetchKind.Robots && !await AllowedAsync(current, timeout.Token))
                    return new FetchResult(FetchStatus.Disallowed, current, $"robots.txt of {current.Host} does not allow {current.PathAndQuery}");
                var result = await SendAsync(current, kind, hop == 0 ? validators : null, timeout.Token);
                if (result.Redirect is not { } next)
                    return result.Result!;
                if (hop + 1 > o.MaxRedirects)
                    return new FetchResult(FetchStatus.Failed, current, $"more than {o.MaxRedirects} redirects");
                current = next;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FetchResult(FetchStatus.Failed, current, $"no answer within {o.TimeoutSeconds} s");
        }
        catch (Polly.Timeout.TimeoutRejectedException)
        {
            return new FetchResult(FetchStatus.Failed, current, $"no answer within {o.TimeoutSeconds} s");
        }
        catch (HttpRequestException ex)
        {
            return new FetchResult(FetchStatus.Failed, current, $"cannot reach {current.Authority} ({ex.HttpRequestError})");
        }
        catch (InvalidDataException ex)
        {
            return new FetchResult(FetchStatus.Failed, current, ex.Message);
        }
    }

    private async Task<(FetchResult? Result, Uri? Redirect)> SendAsync(Uri url, FetchKind kind, string? validators, CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("User-Agent", o.UserAgentHeader);
        request.Headers.TryAddWithoutValidation("Accept", kind switch
        {
            FetchKind.Page => "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            FetchKind.Feed => "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.1",
            _ => "text/plain,*/*;q=0.1",
        });
        request.Headers.AcceptEncoding.ParseAdd("gzip, deflate, br");
        var (etag, lastModified) = FetchResult.ParseValidators(validators);
        if (etag is not null)
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (lastModified is not null)
            request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);

        using var response = await SendPolitelyAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400 && status != 304)
        {
            var location = response.Headers.Location;
            if (location is null)
                return (new FetchResult(FetchStatus.Failed, url, $"HTTP {status} without a Location") { StatusCode = status }, null);
            var next = WebAddress.Parse(location.OriginalString, url);
            return next is null
                ? (new FetchResult(FetchStatus.Failed, url, $"redirect to an unusable address ({location.OriginalString})") { StatusCode = status }, null)
                : (null, next);
        }
        if (response.StatusCode == HttpStatusCode.NotModified)
            return (new FetchResult(FetchStatus.NotModified, url) { StatusCode = status, ETag = etag, LastModified = lastModified }, null);
        if (status is 404 or 410)
            return (new FetchResult(FetchStatus.Gone, url, $"HTTP {status}") { StatusCode = status }, null);
        if (!response.IsSuccessStatusCode)
            return (new FetchResult(FetchStatus.Failed, url, $"HTTP {status} {response.ReasonPhrase}".TrimEnd()) { StatusCode = status }, null);

        var media = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
        if (!Accepts(kind, media))
            return (new FetchResult(FetchStatus.Failed, url, $"served as {media}, not {(kind == FetchKind.Page ? "HTML" : "XML")}") { StatusCode = status, MediaType = media }, null);
        if (response.Content.Headers.ContentLength is { } declared && declared > o.MaxBytes)
            return (new FetchResult(FetchStatus.Failed, url, $"{declared:N0} bytes, over the {o.MaxBytes:N0}-byte limit") { StatusCode = status }, null);
        var (body, error) = await ReadAsync(response, o, cancellationToken);
        if (error is not null)
            return (new FetchResult(FetchStatus.Failed, url, error) { StatusCode = status }, null);
        return (new FetchResult(FetchStatus.Ok, url)
        {
            StatusCode = status,
            Body = body!,
            MediaType = media,
            Charset = response.Content.Headers.ContentType?.CharSet,
            ETag = response.Headers.ETag?.ToString(),
            LastModified = response.Content.Headers.LastModified?.ToString("R"),
        }, null);
    }

    private static bool Accepts(FetchKind kind, string? media) => kind switch
    {
        _ when media is null => true,
        FetchKind.Page => media is "text/html" or "application/xhtml+xml",
        FetchKind.Feed => media.EndsWith("xml", StringComparison.Ordinal) || media.EndsWith("+xml", StringComparison.Ordinal) || media is "text/plain",
        _ => media.StartsWith("text/", StringComparison.Ordinal),
    };

    /// <summary>Reads the body within both limits: bytes as sent, and bytes once decompressed (a gzip bomb stops there).</summary>
    private static async Task<(byte[]? Body, string? Error)> ReadAsync(HttpResponseMessage response, SourcesOptions o, CancellationToken cancellationToken)
    {
        await using var network = await response.Content.ReadAsStreamAsync(cancellationToken);
        var counted = new CountingStream(network, o.MaxBytes);
        var encodings = response.Content.Headers.ContentEncoding.Select(e => e.ToLowerInvariant()).ToList();
        Stream reader = counted;
        foreach (var encoding in Enumerable.Reverse(encodings))
        {
            reader = encoding switch
            {
                "gzip" or "x-gzip" => new GZipStream(reader, CompressionMode.Decompress),
                "deflate" => new ZLibStream(reader, CompressionMode.Decompress),
                "br" => new BrotliStream(reader, CompressionMode.Decompress),
                "identity" => reader,
                _ => throw new InvalidDataException($"unknown content encoding '{encoding}'"),
            };
        }
        var limit = encodings.Count > 0 ? o.MaxDecompressedBytes : o.MaxBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(chunk, cancellationToken);
                if (read == 0)
                    break;
                if (buffer.Length + read > limit)
                    return (null, encodings.Count > 0 ? $"decompresses to more than {limit:N0} bytes" : $"more than {limit:N0} bytes");
                buffer.Write(chunk, 0, read);
            }
        }
        catch (LimitExceededException)
        {
            return (null, $"more than {o.MaxBytes:N0} bytes");
        }
        catch (InvalidDataException ex)
        {
            return (null, $"unreadable compressed body ({ex.Message})");
        }
        finally
        {
            if (!ReferenceEquals(reader, counted))
                await reader.DisposeAsync();
        }
        return (buffer.ToArray(), null);
    }

    /// <summary>One request at a time per host, spaced by the interval (or the robots.txt Crawl-delay when longer).</summary>
    private async Task<HttpResponseMessage> SendPolitelyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var slot = _hosts.GetOrAdd(WebAddress.Authority(request.RequestUri!), _ => new HostSlot());
        await slot.Gate.WaitAsync(cancellationToken);
        try
        {
            var interval = TimeSpan.FromMilliseconds(options.Value.PerHostIntervalMs);
            if (slot.CrawlDelay is { } delay && delay > interval)
                interval = delay;
            var wait = slot.Last is { } last ? last + interval - time.GetUtcNow() : TimeSpan.Zero;
            if (wait > TimeSpan.Zero)
            {
                var turn = Task.Delay(wait, time, cancellationToken);
                Waiting?.Invoke(request.RequestUri!, wait);
                await turn;
            }
            Interlocked.Increment(ref _requests);
            try
            {
                return await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            }
            finally
            {
                slot.Last = time.GetUtcNow();
            }
        }
        finally
        {
            slot.Gate.Release();
        }
    }

    /// <summary>Whether the host's robots.txt (fetched once a day, cached per host) allows the URL.</summary>
    public async Task<bool> AllowedAsync(Uri url, CancellationToken cancellationToken)
    {
        var slot = _hosts.GetOrAdd(WebAddress.Authority(url), _ => new HostSlot());
        var robots = slot.Robots;
        if (robots is null || slot.RobotsExpire <= time.GetUtcNow())
        {
            robots = await FetchRobotsAsync(url, cancellationToken);
            slot.Robots = robots;
            slot.RobotsExpire = time.GetUtcNow() + (robots.DisallowAll ? UnreachableRobotsLifetime : RobotsLifetime);
            slot.CrawlDelay = robots.CrawlDelay(options.Value.UserAgent);
        }
        return robots.IsAllowed(options.Value.UserAgent, url.PathAndQuery);
    }

    private async Task<RobotsTxt> FetchRobotsAsync(Uri url, CancellationToken cancellationToken)
    {
        var robotsUrl = new Uri(url, "/robots.txt");
        FetchResult result;
        try
        {
            result = await FetchAsync(robotsUrl, FetchKind.Robots, null, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            LogRobotsUnreachable(logger, url.Host, ex.Message);
            return RobotsTxt.Unreachable;
        }
        switch (result.Status)
        {
            case FetchStatus.Ok:
                return RobotsTxt.Parse(result.Text());
            case FetchStatus.Gone:
            case FetchStatus.Failed when result.StatusCode is >= 400 and < 500:
                return RobotsTxt.AllowAll; // "unavailable": no rules
            default:
                LogRobotsUnreachable(logger, url.Host, result.Error ?? result.Status.ToString());
                return RobotsTxt.Unreachable;
        }
    }

    private sealed class HostSlot
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public DateTimeOffset? Last { get; set; }
        public RobotsTxt? Robots { get; set; }
        public DateTimeOffset RobotsExpire { get; set; }
        public TimeSpan? CrawlDelay { get; set; }
    }

    private sealed class LimitExceededException : IOException;

    /// <summary>Counts the bytes read from the network and stops past the limit.</summary>
    private sealed class CountingStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => Count(await inner.ReadAsync(buffer, cancellationToken));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
                throw new LimitExceededException();
            return read;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "robots.txt of {Host} could not be read ({Reason}): nothing is fetched from it for now (RFC 9309)")]
    private static partial void LogRobotsUnreachable(ILogger logger, string host, string reason);
}
