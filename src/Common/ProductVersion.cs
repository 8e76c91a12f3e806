using System.Globalization;
using System.Reflection;

namespace SweepRunner.Common;

/// <summary>
/// A SweepRunner release: the assemblies' informational version (<c>1.2.3</c>, optionally <c>-prerelease</c> and
/// <c>+commit</c>). Processes of one cluster must share the major and minor number: grain contracts, the store's
/// schema and the workers' protocol may change between minor releases, never between patch releases.
/// </summary>
public sealed record ProductVersion(int Major, int Minor, int Patch, string Text)
{
    /// <summary>The version of this build (every SweepRunner assembly carries the same one).</summary>
    public static ProductVersion Current { get; } =
        Parse(typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0")
        ?? new ProductVersion(0, 0, 0, "0.0.0");

    /// <summary>The version <paramref name="text"/> names, or null when it is not <c>MAJOR.MINOR.PATCH[-…][+…]</c>.</summary>
    public static ProductVersion? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var core = text.Split('-', '+')[0].Split('.');
        if (core.Length != 3) return null;
        int[] numbers = new int[3];
        for (int i = 0; i < 3; i++)
            if (!int.TryParse(core[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i])) return null;
        return new ProductVersion(numbers[0], numbers[1], numbers[2], text);
    }

    /// <summary>Whether processes of this version and of <paramref name="other"/> may work in one cluster: same major and minor number.</summary>
    public bool IsCompatibleWith(ProductVersion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (Major, Minor) == (other.Major, other.Minor);
    }

    /// <summary>Whether this is an earlier major.minor release than <paramref name="other"/> (and so not compatible with it).</summary>
    public bool IsOlderReleaseThan(ProductVersion other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (Major, Minor).CompareTo((other.Major, other.Minor)) < 0;
    }

    public override string ToString() => Text;
}
