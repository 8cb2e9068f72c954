using System.Globalization;

namespace RustDesk.Load;

/// <summary>CPU time as the kernel counts it (Linux <c>/proc</c>), in seconds.</summary>
public static class ServerCpu
{
    /// <summary>User + system time of a whole process (<c>/proc/PID/stat</c> fields 14 and 15, in clock ticks of 1/100 s).</summary>
    public static double Seconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>User + system time of the calling thread (<c>/proc/thread-self/schedstat</c>, nanoseconds on the CPU).</summary>
    public static double ThreadSeconds() =>
        long.Parse(File.ReadAllText("/proc/thread-self/schedstat").Split(' ')[0], CultureInfo.InvariantCulture) / 1e9;
}
