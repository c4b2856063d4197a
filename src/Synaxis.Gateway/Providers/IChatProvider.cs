namespace Synaxis.Gateway.Providers;

/// <summary>
/// A kind of upstream (OpenAI-compatible, mock, …). It maps the canonical request to its own wire
/// format and its answer back to OpenAI chat completion JSON. Expected failures come back as
/// <see cref="UpstreamFailure"/> values; cancellation and transport exceptions propagate and the
/// caller classifies them, because only the caller knows which of its timers fired.
/// </summary>
public interface IChatProvider
{
    /// <summary>The name the model catalog uses in <c>Provider</c>.</summary>
    string Name { get; }

    /// <summary>Sends a non-streamed request and returns the <c>chat.completion</c> JSON.</summary>
    Task<CompletionResult> CompleteAsync(ProviderCall call, CancellationToken cancellationToken);

    /// <summary>Sends a streamed request and returns once the upstream has accepted it (or refused it).</summary>
    Task<StreamResult> StreamAsync(ProviderCall call, CancellationToken cancellationToken);
}
