using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Synaxis.Functions;

/// <summary>
/// One token for "stop working on this call": the proxied request's <c>RequestAborted</c> (the client
/// hung up) linked with the invocation's token (the host cancelled it). Either one stops the upstream.
/// </summary>
internal static class FunctionCancellation
{
    public static CancellationTokenSource Link(HttpRequest request, FunctionContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(request.HttpContext.RequestAborted, context.CancellationToken);
}
