using Azure;

namespace Synaxis.Gateway.Billing.Storage;

/// <summary>
/// Tells storage that could not be reached from other failures. The Azure SDK throws <see cref="RequestFailedException"/>
/// for an answer it did not like, and an <see cref="AggregateException"/> once its retries of an unreachable
/// endpoint (refused connections, timeouts) are spent.
/// </summary>
public static class StorageFailure
{
    public static bool Is(Exception exception) => exception is RequestFailedException or AggregateException;
}
