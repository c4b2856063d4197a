using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Synaxis.Gateway.Hosting;
using Synaxis.Gateway.Http;
using Synaxis.Gateway.Protocol;
using Synaxis.Gateway.Providers;
using Synaxis.Gateway.Providers.OpenAICompatible;
using Synaxis.Gateway.Routing;
using Synaxis.Gateway.Secrets;

namespace Synaxis.Bench.Micro;

/// <summary>
/// One whole streamed call on the OpenAI-to-OpenAI path, in process: the provider builds and sends the
/// upstream request (to a handler that answers with a recorded stream, one event per read, every read
/// completing asynchronously like a socket's), and the relay scans, frames, writes and flushes each
/// event to a response whose body goes nowhere. The allocation column is what one stream costs; the
/// per-request part (request objects, the upstream body, the enumerators) divided by the events is
/// what "per relayed chunk" may cost at most.
/// </summary>
[MemoryDiagnoser]
public class RelayBenchmarks
{
    private AsyncEventStream? _upstreamBody;
    private StreamRelay? _relay;
    private OpenAICompatibleProvider? _provider;
    private ChatCompletionRequest? _request;
    private CatalogModel? _model;
    private DefaultHttpContext? _context;
    private ResponseState? _response;

    /// <summary>Content chunks in the stream; the finish chunk, the usage chunk and [DONE] come on top.</summary>
    [Params(20, 200)]
    public int Chunks { get; set; } = 20;

    [GlobalSetup]
    public void Setup()
    {
        _upstreamBody = new AsyncEventStream(SyntheticStream(Chunks));
        var handler = new ReplayingHandler(_upstreamBody);
        _provider = new OpenAICompatibleProvider(new OneClientFactory(handler), new OneSecret(), TimeProvider.System);
        var options = Options.Create(new GatewayOptions
        {
            Models =
            [
                new ModelOptions
                {
                    Name = "bench-model",
                    Provider = OpenAICompatibleProvider.ProviderName,
                    UpstreamModel = "bench-upstream",
                    BaseUrl = "http://upstream.invalid/v1/",
                    ApiKeySecret = "upstream-key",
                    OwnedBy = "bench",
                },
            ],
        });
        var catalog = new ModelCatalog(options);
        var health = new DeploymentHealthBoard(catalog, options, TimeProvider.System, NullLogger<DeploymentHealthBoard>.Instance);
        var router = new DeploymentRouter(health, new OneSecret(), options, TimeProvider.System, NullLogger<DeploymentRouter>.Instance);
        _relay = new StreamRelay(router, new ProviderRegistry([_provider]), options, TimeProvider.System, NullLogger<StreamRelay>.Instance);
        var body = new ReadOnlySequence<byte>("""{"model":"bench-model","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}"""u8.ToArray());
        if (ChatRequestReader.TryRead(body, out var request) is { } error)
        {
            throw new InvalidOperationException(error.Message);
        }

        _request = request!;
        _model = catalog.TryResolve("bench-model", out var model) ? model : throw new InvalidOperationException("bench-model is not in the catalog.");

        // One context for every call, as Kestrel pools them; only its started flag is reset per call.
        _context = new DefaultHttpContext();
        _response = new ResponseState();
        _context.Features.Set<IHttpResponseFeature>(_response);
        _context.Features.Set<IHttpResponseBodyFeature>(new StartTrackingBody(new StreamResponseBodyFeature(Stream.Null), _response));
    }

    [Benchmark]
    public async Task<int> RelayOneStream()
    {
        _upstreamBody!.Rewind();
        _response!.Started = false;
        var outcome = new CallOutcome("req_bench", 0);
        var writer = ChatDialect.OpenAI.CreateStreamWriter(_request!);
        var error = await _relay!.RelayAsync(_context!, _model!, _request!, writer, outcome, CancellationToken.None);
        return error is null && outcome.Usage is not null ? outcome.Usage.CompletionTokens : throw new InvalidOperationException("The relayed stream failed.");
    }

    private static byte[][] SyntheticStream(int chunks)
    {
        const string Head = """{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1727346168,"model":"bench-upstream","system_fingerprint":"fp_bench","choices":[""";
        static byte[] Event(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");
        var events = Enumerable.Range(0, chunks)
            .Select(i => Event(Head + $$"""{"index":0,"delta":{"content":"tok{{i}} "},"logprobs":null,"finish_reason":null}]}"""))
            .Append(Event(Head + """{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]}"""))
            .Append(Event(Head + $$$"""],"usage":{"prompt_tokens":9,"completion_tokens":{{{chunks}}},"total_tokens":{{{9 + chunks}}}}}"""))
            .Append("data: [DONE]\n\n"u8.ToArray());
        return [.. events];
    }

    /// <summary>A response feature whose started flag follows the body feature's start, as Kestrel's does.</summary>
    private sealed class ResponseState : HttpResponseFeature
    {
        public bool Started { get; set; }

        public override bool HasStarted => Started;
    }

    private sealed class StartTrackingBody(StreamResponseBodyFeature inner, ResponseState state) : IHttpResponseBodyFeature
    {
        public Stream Stream => inner.Stream;

        public PipeWriter Writer => inner.Writer;

        public Task CompleteAsync() => Task.CompletedTask;

        public void DisableBuffering() => inner.DisableBuffering();

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            inner.SendFileAsync(path, offset, count, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken = default)
        {
            state.Started = true;
            return inner.StartAsync(cancellationToken);
        }
    }

    private sealed class ReplayingHandler(AsyncEventStream body) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body), RequestMessage = request };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
            return Task.FromResult(response);
        }
    }

    private sealed class OneClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false);
    }

    private sealed class OneSecret : ISecretStore
    {
        public ValueTask<string?> GetSecretAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult<string?>("sk-upstream");

        public ValueTask<string?> RefreshAsync(string name, CancellationToken cancellationToken) => GetSecretAsync(name, cancellationToken);
    }
}
