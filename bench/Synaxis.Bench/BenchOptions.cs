using System.Globalization;
using Synaxis.Bench.Processes;
using Synaxis.Bench.Scenarios;

namespace Synaxis.Bench;

/// <summary>The command line; see <see cref="Usage"/>.</summary>
internal sealed record BenchOptions(
    bool Quick,
    int? Rounds,
    IReadOnlySet<string> OnlyScenarios,
    string HostDll,
    string? JitHostDll,
    string? PeerDirectory,
    int Starts,
    TimeSpan RequestTimeout,
    string? MarkdownPath,
    IReadOnlyDictionary<string, string> GatewayEnvironment,
    string? CompareHostDll,
    IReadOnlyDictionary<string, string> CompareEnvironment,
    string? MeteringAzuriteDirectory = null)
{
    public const string Usage = """
        Usage: bench/run.sh [--quick] [--scenario a,b,c,d,e] [--rounds N] [--no-peer] [--markdown FILE] [--gateway-env NAME=VALUE]...
          --quick         a smoke run: fewer requests per round (numbers too short for conclusions)
          --scenario      which scenarios to run, comma-separated: a, b (both b64 and b256), b64, b256, c, d, e (default: all)
          --rounds N      measured rounds per target in scenarios a-d (default 5, d 4; quick 2)
          --starts N      starts per variant in scenario (e) (default 5, quick 2)
          --no-peer       leave Portkey out (direct and synaxis only)
          --markdown FILE also write the result tables as Markdown, for bench/README.md
          --timeout S     per-request limit in seconds (default 10)
          --gateway-env   an extra environment variable for the gateway process, for experiments (e.g. DOTNET_gcServer=0)
          --compare-dll PATH, --compare-env NAME=VALUE
                          run a second gateway, "synaxis-b", as one more alternating target: another build, or the same
                          build with more environment variables; an A/B test that machine drift cannot skew
          --metering      run a third gateway, "synaxis-metered", with billing on (Azurite from tools/azurite) and an issued
                          key with rate limits and prepaid credit, as one more alternating target: what metering adds
          --host-dll, --jit-host-dll, --peer-dir, --azurite-dir   what to run; bench/run.sh passes the builds it made
        """;

    private static readonly string[] ScenarioKeys = ["a", "b64", "b256", "c", "d", "e"];

    /// <summary>Scenarios a-d as this run sizes them; (e) is <see cref="RunsStartup"/>.</summary>
    public IReadOnlyList<Scenario> Scenarios => Scenario.All(Quick)
        .Where(s => OnlyScenarios.Contains(s.Key))
        .Select(s => Rounds is { } rounds ? s with { Rounds = rounds } : s)
        .ToList();

    public bool RunsStartup => OnlyScenarios.Contains("e");

    /// <summary>Parses the arguments; null (after printing why) when they make no sense.</summary>
    public static BenchOptions? Parse(string[] args, TextWriter errors)
    {
        var quick = false;
        int? rounds = null;
        int? starts = null;
        var only = new HashSet<string>(ScenarioKeys, StringComparer.Ordinal);
        string? hostDll = null;
        string? jitHostDll = null;
        string? peerDirectory = null;
        var noPeer = false;
        string? markdown = null;
        var timeout = TimeSpan.FromSeconds(10);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        string? compareDll = null;
        var compareEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        var metering = false;
        string? azuriteDirectory = null;
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
                    case "--scenario":
                        only = ParseScenarios(Value());
                        break;
                    case "--rounds":
                        rounds = Positive(Value());
                        break;
                    case "--starts":
                        starts = Positive(Value());
                        break;
                    case "--no-peer":
                        noPeer = true;
                        break;
                    case "--markdown":
                        markdown = Path.GetFullPath(Value());
                        break;
                    case "--timeout":
                        timeout = TimeSpan.FromSeconds(Positive(Value()));
                        break;
                    case "--host-dll":
                        hostDll = Path.GetFullPath(Value());
                        break;
                    case "--jit-host-dll":
                        jitHostDll = Path.GetFullPath(Value());
                        break;
                    case "--peer-dir":
                        peerDirectory = Path.GetFullPath(Value());
                        break;
                    case "--gateway-env":
                        var (name, value) = Variable(Value());
                        environment[name] = value;
                        break;
                    case "--compare-dll":
                        compareDll = Path.GetFullPath(Value());
                        break;
                    case "--compare-env":
                        var (compareName, compareValue) = Variable(Value());
                        compareEnvironment[compareName] = compareValue;
                        break;
                    case "--metering":
                        metering = true;
                        break;
                    case "--azurite-dir":
                        azuriteDirectory = Path.GetFullPath(Value());
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

        foreach (var dll in new[] { hostDll, jitHostDll, compareDll })
        {
            if (dll is not null && !File.Exists(dll))
            {
                errors.WriteLine($"The gateway build {dll} does not exist. Run bench/run.sh, which builds it first.");
                return null;
            }
        }

        if (hostDll is null)
        {
            errors.WriteLine("--host-dll is required; bench/run.sh passes the build it made.");
            return null;
        }

        if (noPeer)
        {
            peerDirectory = null;
        }
        else if (peerDirectory is null || PortkeyProcess.Unavailable(peerDirectory) is not null)
        {
            errors.WriteLine(peerDirectory is null ? "--peer-dir is required unless --no-peer is given." : PortkeyProcess.Unavailable(peerDirectory));
            return null;
        }

        if (metering && (azuriteDirectory is null || AzuriteProcess.Unavailable(azuriteDirectory) is not null))
        {
            errors.WriteLine(azuriteDirectory is null ? "--metering needs --azurite-dir; bench/run.sh passes it." : AzuriteProcess.Unavailable(azuriteDirectory));
            return null;
        }

        return new BenchOptions(quick, rounds, only, hostDll, jitHostDll, peerDirectory, starts ?? (quick ? 2 : 5), timeout, markdown, environment,
            compareDll, compareEnvironment, metering ? azuriteDirectory : null);
    }

    private static HashSet<string> ParseScenarios(string text)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (key == "b")
            {
                keys.UnionWith(["b64", "b256"]);
            }
            else if (ScenarioKeys.Contains(key))
            {
                keys.Add(key);
            }
            else
            {
                throw new FormatException($"Unknown scenario '{key}'; the scenarios are {string.Join(", ", ScenarioKeys)} (b for both b64 and b256).");
            }
        }

        return keys;
    }

    /// <summary>True when a second gateway runs beside the first (<c>--compare-dll</c>, <c>--compare-env</c>).</summary>
    public bool Compares => CompareHostDll is not null || CompareEnvironment.Count > 0;

    private static (string Name, string Value) Variable(string text) =>
        text.Split('=', 2) is [var name, var value] && name.Length > 0 ? (name, value) : throw new FormatException("Environment variables are given as NAME=VALUE.");

    private static int Positive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"'{text}' is not a positive whole number.");
}
