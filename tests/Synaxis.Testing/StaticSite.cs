using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Synaxis.Testing;

/// <summary>
/// A second web server on 127.0.0.1 (another port, so another origin than the gateway) that serves one HTML page
/// at <c>/</c>: a browser page calling the gateway from it is a cross-origin client, as on a real web site.
/// The page may be set after start, once the gateway it calls is known.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSite(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The site's root, e.g. <c>http://127.0.0.1:5125/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>The page served at <c>/</c>.</summary>
    public string Html { get; set; } = "<!DOCTYPE html><title>empty</title>";

    /// <summary>The origin browsers send in <c>Origin</c>, e.g. <c>http://127.0.0.1:5125</c>.</summary>
    public string Origin => BaseUrl.GetLeftPart(UriPartial.Authority);

    public static async Task<StaticSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0", "--environment=Testing"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        StaticSite? site = null;
        app.MapGet("/", () => Results.Content(site!.Html, "text/html; charset=utf-8"));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        site = new StaticSite(app, new Uri(address.TrimEnd('/') + "/"));
        return site;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
