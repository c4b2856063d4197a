using Microsoft.AspNetCore.Http;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http.Playground;

/// <summary>
/// Serves the playground: one static page (<c>/</c>, <c>/playground</c>) and its script and style sheet
/// (<c>/playground/{asset}</c>), from the gateway's own assembly. The page holds no secret and talks only to
/// the origin that served it, which its Content-Security-Policy enforces.
/// </summary>
public sealed class PlaygroundHandler
{
    /// <summary>
    /// Nothing inline and nothing from elsewhere: a script injected through model output could neither run nor
    /// send the key anywhere but this gateway.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private readonly PlaygroundAsset _page = PlaygroundAsset.Load("playground.html", "text/html; charset=utf-8");

    private readonly Dictionary<string, PlaygroundAsset> _assets = new(StringComparer.Ordinal)
    {
        ["playground.js"] = PlaygroundAsset.Load("playground.js", "text/javascript; charset=utf-8"),
        ["playground.css"] = PlaygroundAsset.Load("playground.css", "text/css; charset=utf-8"),
    };

    public Task PageAsync(HttpContext context, CancellationToken cancellationToken) => WriteAsync(context, _page, cancellationToken);

    public Task AssetAsync(HttpContext context, string name, CancellationToken cancellationToken) =>
        _assets.TryGetValue(name, out var asset)
            ? WriteAsync(context, asset, cancellationToken)
            : HttpResponses.WriteErrorAsync(context.Response, ApiError.NotFound($"Invalid URL ({context.Request.Method} {context.Request.Path})."), cancellationToken);

    private static Task WriteAsync(HttpContext context, PlaygroundAsset asset, CancellationToken cancellationToken)
    {
        var response = context.Response;
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        // Revalidated on every load, so an upgraded gateway never runs yesterday's script against today's API.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;

        if (context.Request.Headers.IfNoneMatch.Any(tag => tag == asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }

        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        return response.Body.WriteAsync(asset.Content, cancellationToken).AsTask();
    }
}
