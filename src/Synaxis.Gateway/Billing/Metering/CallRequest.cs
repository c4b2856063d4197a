using Synaxis.Gateway.Routing;

namespace Synaxis.Gateway.Billing.Metering;

/// <summary>What the meter needs to know about a call before it is routed.</summary>
/// <param name="RequestId">The call's id (<c>x-request-id</c>), also its usage record's row key.</param>
/// <param name="Caller">Who calls.</param>
/// <param name="Model">The resolved catalog model.</param>
/// <param name="Streamed">True for a streamed answer.</param>
/// <param name="PromptTokens">The prompt's estimated size in tokens.</param>
/// <param name="MaxCompletionTokens">The client's <c>max_tokens</c> / <c>max_completion_tokens</c>, if it set one.</param>
public sealed record CallRequest(string RequestId, Caller Caller, CatalogModel Model, bool Streamed, int PromptTokens, int? MaxCompletionTokens);
