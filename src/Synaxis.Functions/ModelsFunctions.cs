using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http;

namespace Synaxis.Functions;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>.</summary>
public sealed class ModelsFunctions(ModelsHandler handler)
{
    [Function("ListModels")]
    public Task ListAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/models")] HttpRequest request,
        FunctionContext context) =>
        handler.ListAsync(request.HttpContext, context.CancellationToken);

    [Function("GetModel")]
    public Task GetAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/models/{id}")] HttpRequest request,
        string id,
        FunctionContext context) =>
        handler.GetAsync(request.HttpContext, id, context.CancellationToken);
}
