using System.Globalization;

namespace SweepRunner.Cli.Output;

/// <summary>Byte counts as people read them: decimal units (kB, MB, GB, TB) with one decimal, bytes below 1 kB.</summary>
internal static class ByteSize
{
    private static readonly string[] Units = ["kB", "MB", "GB", "TB"];

    public static string Format(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        if (bytes < 1000) return string.Create(CultureInfo.InvariantCulture, $"{bytes} B");
        double value = bytes / 1000.0;
        int unit = 0;
        // 999.96 would round to "1000.0": it is the next unit's 1.0.
        while (value >= 999.95 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{value:F1} {Units[unit]}");
    }
}
