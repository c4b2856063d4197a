using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http;

namespace Synaxis.Functions;

/// <summary><c>POST /v1/embeddings</c>.</summary>
public sealed class EmbeddingsFunction(EmbeddingsHandler handler)
{
    [Function("Embeddings")]
    public async Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/embeddings")] HttpRequest request,
        FunctionContext context)
    {
        using var cancellation = FunctionCancellation.Link(request, context);
        await handler.HandleAsync(request.HttpContext, cancellation.Token).ConfigureAwait(false);
    }
}
