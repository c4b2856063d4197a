using Microsoft.AspNetCore.Http;

namespace Synaxis.Gateway.Http.Messages;

/// <summary>
/// Serves <c>POST /v1/messages</c>, Anthropic's Messages API, for every host: the chat pipeline of
/// <see cref="ChatCompletionsHandler"/> in the <see cref="AnthropicDialect"/>, so Anthropic SDK clients reach
/// every model of the catalog, whichever provider serves it.
/// </summary>
public sealed class MessagesHandler(ChatCompletionsHandler pipeline)
{
    /// <param name="context">The request and response.</param>
    /// <param name="cancellationToken">Fires when the client is gone.</param>
    public Task HandleAsync(HttpContext context, CancellationToken cancellationToken) =>
        pipeline.HandleAsync(context, AnthropicDialect.Instance, cancellationToken);
}
