using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http.Playground;

namespace Synaxis.Functions;

/// <summary>
/// <c>GET /playground</c> and its files. Not the site root: an HTTP trigger's route may not be empty
/// (Azure/Azure-Functions#2473), and the root belongs to the Functions host's own page.
/// </summary>
public sealed class PlaygroundFunctions(PlaygroundHandler handler)
{
    [Function("Playground")]
    public Task PageAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "playground")] HttpRequest request,
        FunctionContext context) =>
        handler.PageAsync(request.HttpContext, context.CancellationToken);

    [Function("PlaygroundAsset")]
    public Task AssetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "playground/{asset}")] HttpRequest request,
        string asset,
        FunctionContext context) =>
        handler.AssetAsync(request.HttpContext, asset, context.CancellationToken);
}
