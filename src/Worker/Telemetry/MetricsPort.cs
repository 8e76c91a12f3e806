using System.Globalization;

namespace SweepRunner.Worker.Telemetry;

/// <summary>Where a worker serves its metrics: a port, <c>0</c> for one the system picks, or <see cref="Off"/>.</summary>
public static class MetricsPort
{
    public const string Off = "off";

    /// <summary>The OpenTelemetry Prometheus exporter's customary port.</summary>
    public const int Default = 9464;

    /// <summary>The port (0: any free one), or null for <see cref="Off"/>.</summary>
    /// <exception cref="FormatException">Neither a port 0-65535 nor <c>off</c>; the message says what was given.</exception>
    public static int? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out int? port) ? port : throw new FormatException($"expected a port 0-65535 (0: any free port) or {Off}, got '{text}'");
    }

    public static bool IsValid(string? text) => text is not null && TryParse(text, out _);

    private static bool TryParse(string text, out int? port)
    {
        port = null;
        if (string.Equals(text.Trim(), Off, StringComparison.OrdinalIgnoreCase)) return true;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number > 65535) return false;
        port = number;
        return true;
    }
}
