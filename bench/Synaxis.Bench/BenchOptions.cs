using System.Globalization;
using Synaxis.Testing;

namespace Synaxis.Bench;

/// <summary>The command line; see <see cref="Usage"/>.</summary>
internal sealed record BenchOptions(bool Quick, int? Rounds, string? OnlyScenario, string HostDll, TimeSpan RequestTimeout, IReadOnlyDictionary<string, string> GatewayEnvironment)
{
    public const string Usage = """
        Usage: bench/run.sh [--quick] [--rounds N] [--scenario a|b] [--host-dll PATH] [--timeout SECONDS] [--gateway-env NAME=VALUE]...
          --quick       a smoke run: fewer requests per round (numbers too short for conclusions)
          --rounds N    measured rounds per target and scenario (default 5, quick 3)
          --scenario    run only (a) added latency at concurrency 1 or (b) throughput at concurrency 64
          --host-dll    the gateway to run (default: src/Synaxis.Host/bin/Release/net10.0/Synaxis.Host.dll)
          --timeout     per-request limit in seconds (default 10)
          --gateway-env an extra environment variable for the gateway process, for experiments (e.g. DOTNET_gcServer=0)
        """;

    /// <summary>The scenarios this run measures, sized by <see cref="Quick"/> and <see cref="Rounds"/>.</summary>
    public IReadOnlyList<Scenario> Scenarios => Scenario.All(Quick)
        .Where(s => OnlyScenario is null || s.Key == OnlyScenario)
        .Select(s => Rounds is { } rounds ? s with { Rounds = rounds } : s)
        .ToList();

    /// <summary>Parses the arguments; null (after printing why) when they make no sense.</summary>
    public static BenchOptions? Parse(string[] args, TextWriter errors)
    {
        var quick = false;
        int? rounds = null;
        string? only = null;
        string? hostDll = null;
        var timeout = TimeSpan.FromSeconds(10);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value.");
            try
            {
                switch (args[i])
                {
                    case "--quick":
                        quick = true;
                        break;
                    case "--rounds":
                        rounds = Positive(Value());
                        break;
                    case "--scenario":
                        only = Value() is "a" or "b" ? args[i] : throw new FormatException("--scenario is a or b.");
                        break;
                    case "--host-dll":
                        hostDll = Path.GetFullPath(Value());
                        break;
                    case "--timeout":
                        timeout = TimeSpan.FromSeconds(Positive(Value()));
                        break;
                    case "--gateway-env":
                        var (name, value) = Value().Split('=', 2) is [var n, var v] && n.Length > 0 ? (n, v) : throw new FormatException("--gateway-env takes NAME=VALUE.");
                        environment[name] = value;
                        break;
                    default:
                        throw new FormatException($"Unknown argument {args[i]}.");
                }
            }
            catch (FormatException exception)
            {
                errors.WriteLine(exception.Message);
                errors.WriteLine(Usage);
                return null;
            }
        }

        hostDll ??= Path.Combine(Fixtures.RepositoryRoot, "src", "Synaxis.Host", "bin", "Release", "net10.0", "Synaxis.Host.dll");
        if (!File.Exists(hostDll))
        {
            errors.WriteLine($"The gateway build {hostDll} does not exist. Run bench/run.sh, which builds it in Release first.");
            return null;
        }

        return new BenchOptions(quick, rounds, only, hostDll, timeout, environment);
    }

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a positive whole number.");
}
