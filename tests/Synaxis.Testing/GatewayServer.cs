using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Synaxis.Host;

namespace Synaxis.Testing;

/// <summary>
/// The real standalone gateway (the same <see cref="GatewayApp"/> the host's Program runs) on
/// 127.0.0.1 with a free port, configured only from the settings a test gives, its logs captured.
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _contentRoot;

    private GatewayServer(WebApplication app, Uri baseUrl, LogSink logs, string contentRoot)
    {
        _app = app;
        BaseUrl = baseUrl;
        Logs = logs;
        _contentRoot = contentRoot;
    }

    /// <summary>The gateway's root, e.g. <c>http://127.0.0.1:5124/</c>.</summary>
    public Uri BaseUrl { get; }

    public LogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<GatewayServer> StartAsync(IDictionary<string, string?> settings, Action<WebApplicationBuilder>? configure = null)
    {
        // An empty content root keeps the host's own appsettings.json (the mock catalog) out of the test.
        var contentRoot = Directory.CreateTempSubdirectory("synaxis-test-").FullName;
        var logs = new LogSink();
        var app = GatewayApp.Build(["--urls=http://127.0.0.1:0", $"--contentRoot={contentRoot}", "--environment=Testing"], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.SetMinimumLevel(LogLevel.Debug);
            builder.Logging.AddProvider(logs);
            configure?.Invoke(builder);
        });
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayServer(app, new Uri(address.TrimEnd('/') + "/"), logs, contentRoot);
    }

    /// <summary>Settings for one model served by an OpenAI-compatible upstream.</summary>
    public static Dictionary<string, string?> OpenAIModel(Uri upstream, string name = "gpt-4", string upstreamModel = "gpt-4o", string? secret = "OPENAI_API_KEY", string? secretValue = "sk-upstream-test-key") => new()
    {
        ["Synaxis:Models:0:Name"] = name,
        ["Synaxis:Models:0:Provider"] = "openai",
        ["Synaxis:Models:0:UpstreamModel"] = upstreamModel,
        ["Synaxis:Models:0:BaseUrl"] = upstream.ToString(),
        ["Synaxis:Models:0:ApiKeySecret"] = secret,
        [secret ?? "UNUSED_SECRET"] = secretValue,
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_contentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A leftover empty temp folder is harmless.
        }
    }
}
