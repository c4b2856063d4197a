using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http.Reports;

namespace Synaxis.Functions;

/// <summary><c>GET /v1/usage</c>: the calling key's usage and balance.</summary>
public sealed class UsageFunction(UsageHandler handler)
{
    [Function("Usage")]
    public Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/usage")] HttpRequest request,
        FunctionContext context) =>
        handler.HandleAsync(request.HttpContext, context.CancellationToken);
}
