namespace SweepRunner.Common;

/// <summary>The lower-case names enum members are written as, in YAML, JSON, SQL and on the terminal.</summary>
public static class EnumNames
{
    /// <summary>The member's name in lower case (<c>Maximize</c> → <c>maximize</c>), as <see cref="Enum.Parse{TEnum}(string, bool)"/> reads it back ignoring case.</summary>
    public static string LowerName(this Enum value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.ToString().ToLowerInvariant();
    }
}
