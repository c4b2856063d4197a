using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http.Messages;

namespace Synaxis.Functions;

/// <summary><c>POST /v1/messages</c>: Anthropic's Messages API, streamed or not, served by any model of the catalog.</summary>
public sealed class MessagesFunction(MessagesHandler handler)
{
    [Function("Messages")]
    public async Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/messages")] HttpRequest request,
        FunctionContext context)
    {
        using var cancellation = FunctionCancellation.Link(request, context);
        await handler.HandleAsync(request.HttpContext, cancellation.Token).ConfigureAwait(false);
    }
}
