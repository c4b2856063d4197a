using System.Globalization;

namespace Synaxis.Bench.Processes;

/// <summary>CPU and memory as Linux's <c>/proc</c> reports them; read around every round.</summary>
internal static class ProcFs
{
    // utime, stime and the /proc/stat counters are in USER_HZ ticks, which Linux fixes at 100 per second
    // for user space (sysconf(_SC_CLK_TCK)); a round lasts seconds, so the 10 ms grain is fine.
    private const double TicksPerSecond = 100;

    /// <summary>CPU time a process has used so far, all its threads (utime + stime from <c>/proc/&lt;pid&gt;/stat</c>).</summary>
    public static TimeSpan ProcessCpu(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces; count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }

    /// <summary>Peak resident set size since start or the last <see cref="ResetPeakRss"/> (<c>VmHWM</c>), in bytes.</summary>
    public static long PeakRss(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

    /// <summary>Resident set size now (<c>VmRSS</c>), in bytes.</summary>
    public static long Rss(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

    /// <summary>
    /// Restarts <c>VmHWM</c> from the current RSS (writing 5 to <c>clear_refs</c>, Linux 4.0+), so that each
    /// scenario's peak is its own; false where the kernel or permissions do not allow it.
    /// </summary>
    public static bool ResetPeakRss(int pid)
    {
        try
        {
            File.WriteAllText($"/proc/{pid}/clear_refs", "5");
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Microseconds so far during which some runnable thread, of any process, waited for a core (the
    /// <c>some</c> line of <c>/proc/pressure/cpu</c>); null where the kernel has no PSI. Unlike the busy
    /// ticks of <c>/proc/stat</c>, which a tick-accounting kernel samples and so misses short bursts,
    /// it is exact, and it answers the question that matters: did anything queue for the CPU?
    /// </summary>
    public static long? CpuPressureMicroseconds()
    {
        if (!File.Exists("/proc/pressure/cpu"))
        {
            return null;
        }

        var some = File.ReadLines("/proc/pressure/cpu").First(l => l.StartsWith("some ", StringComparison.Ordinal));
        var total = some[(some.IndexOf("total=", StringComparison.Ordinal) + "total=".Length)..];
        return long.Parse(total, CultureInfo.InvariantCulture);
    }

    /// <summary>The 1, 5 and 15 minute load averages, to show how busy the machine was.</summary>
    public static string LoadAverage() =>
        string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>The CPU model, as <c>/proc/cpuinfo</c> names it.</summary>
    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) is { } line
            ? line[(line.IndexOf(':') + 1)..].Trim()
            : "unknown CPU";

    private static long StatusKilobytes(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        throw new BenchFailure($"/proc/{pid}/status has no {field} line.");
    }
}
