using Synaxis.Gateway.Billing;
using Synaxis.Gateway.Protocol;

namespace Synaxis.Gateway.Http;

/// <summary>What checking a request's key found: the caller, or the error to answer with.</summary>
public readonly record struct Authentication(Caller? Caller, ApiError? Error)
{
    public static Authentication Admitted(Caller caller) => new(caller, null);

    public static Authentication Refused(ApiError error) => new(null, error);
}
