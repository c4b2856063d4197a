using Microsoft.Extensions.Logging;
using Synaxis.Testing;

namespace Synaxis.Gateway.Tests.Fakes;

/// <summary>Loggers whose lines land in a <see cref="LogSink"/> the test reads.</summary>
internal static class TestLogs
{
    public static ILogger<T> For<T>(LogSink sink)
    {
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(sink).SetMinimumLevel(LogLevel.Trace));
        return factory.CreateLogger<T>();
    }
}
