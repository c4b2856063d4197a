namespace Synaxis.Gateway.Providers;

/// <summary>
/// Sends one upstream request and sorts the outcome into an accepted response or a failure value. The
/// provider says how its error bodies read; connection failures are classified here, the same for all.
/// </summary>
internal static class UpstreamSender
{
    /// <summary>The name of the <see cref="HttpClient"/> every upstream call uses.</summary>
    public const string HttpClientName = "synaxis-upstream";

    public static async Task<UpstreamResponse> SendAsync(
        IHttpClientFactory httpClients,
        HttpRequestMessage request,
        Func<HttpResponseMessage, CancellationToken, Task<UpstreamFailure>> readError,
        CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The exception text names the host and port; the client only learns what kind of failure it was.
            var kind = exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError
                ? UpstreamFailureKind.ConnectFailed
                : UpstreamFailureKind.Reset;
            return new UpstreamResponse(null, new UpstreamFailure(kind, kind == UpstreamFailureKind.ConnectFailed
                ? "The gateway could not connect to the upstream."
                : "The connection to the upstream failed."));
        }

        if ((int)response.StatusCode is >= 200 and < 300)
        {
            return new UpstreamResponse(response, null);
        }

        using (response)
        {
            return new UpstreamResponse(null, await readError(response, cancellationToken).ConfigureAwait(false));
        }
    }
}

/// <summary>An upstream's accepted response (the caller owns it) or why there is none.</summary>
internal readonly record struct UpstreamResponse(HttpResponseMessage? Message, UpstreamFailure? Failure) : IDisposable
{
    public void Dispose() => Message?.Dispose();
}
