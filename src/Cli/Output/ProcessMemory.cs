using System.Globalization;

namespace SweepRunner.Cli.Output;

/// <summary>The process's own memory figures, as the kernel accounts them.</summary>
internal static class ProcessMemory
{
    /// <summary>Peak resident set size (VmHWM) in bytes; null where /proc is not available.</summary>
    public static long? PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?["VmHWM:".Length..].Trim().Split(' ')[0];
        return long.TryParse(kilobytes, NumberStyles.Integer, CultureInfo.InvariantCulture, out long kb) ? kb * 1024 : null;
    }
}
