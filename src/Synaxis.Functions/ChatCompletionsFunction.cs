using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Synaxis.Gateway.Http;

namespace Synaxis.Functions;

/// <summary><c>POST /v1/chat/completions</c>, streamed or not.</summary>
public sealed class ChatCompletionsFunction(ChatCompletionsHandler handler)
{
    [Function("ChatCompletions")]
    public async Task RunAsync(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/chat/completions")] HttpRequest request,
        FunctionContext context)
    {
        using var cancellation = FunctionCancellation.Link(request, context);
        await handler.HandleAsync(request.HttpContext, cancellation.Token).ConfigureAwait(false);
    }
}
