using System.Globalization;
using System.Text;

namespace SweepRunner.Common;

/// <summary>
/// The one way durations are written in sweep files and shown back: whole hours, minutes and seconds, each a number
/// followed by its unit, largest first, each at most once (<c>90s</c>, <c>30m</c>, <c>2h</c>, <c>1h30m</c>, <c>1h30s</c>). A number
/// without a unit, a sign, a fraction, a repeated or out-of-order unit is not a duration.
/// </summary>
public static class Duration
{
    /// <summary>What a duration looks like, for messages.</summary>
    public const string Expected = "a duration such as 90s, 30m, 2h or 1h30m (whole hours h, minutes m, seconds s)";

    private static readonly (char Unit, long Seconds)[] Units = [('h', 3600), ('m', 60), ('s', 1)];

    /// <summary>Reads <paramref name="text"/>; false when it is not a duration in the syntax above.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;
        long seconds = 0;
        int position = 0, nextUnit = 0;
        while (position < text.Length)
        {
            int digits = position;
            while (position < text.Length && char.IsAsciiDigit(text[position])) position++;
            if (position == digits || position == text.Length) return false;
            int unit = Array.FindIndex(Units, nextUnit, candidate => candidate.Unit == text[position]);
            if (unit < 0) return false;
            if (!long.TryParse(text.AsSpan(digits, position - digits), NumberStyles.None, CultureInfo.InvariantCulture, out long count)) return false;
            try
            {
                seconds = checked(seconds + (count * Units[unit].Seconds));
            }
            catch (OverflowException)
            {
                return false;
            }
            if (seconds > TimeSpan.MaxValue.TotalSeconds) return false;
            nextUnit = unit + 1;
            position++;
        }
        duration = TimeSpan.FromSeconds(seconds);
        return true;
    }

    /// <summary>
    /// <paramref name="duration"/> in the syntax <see cref="TryParse"/> reads, shortest form (<c>1h30m</c>); a fraction
    /// of a second is rounded down, and anything under a second is <c>0s</c>.
    /// </summary>
    public static string Format(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        long seconds = (long)Math.Floor(duration.TotalSeconds);
        if (seconds == 0) return "0s";
        var text = new StringBuilder();
        foreach (var (unit, size) in Units)
        {
            if (seconds / size is > 0 and var count) text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
            seconds %= size;
        }
        return text.ToString();
    }
}
