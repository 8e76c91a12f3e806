using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace SweepRunner.Storage.Configurations;

/// <summary>Stores an enum as its lower-case name, readable in SQL and stable when members are reordered.</summary>
internal sealed class StoredEnum<TEnum>() : ValueConverter<TEnum, string>(value => Name(value), name => Enum.Parse<TEnum>(name, true))
    where TEnum : struct, Enum
{
    /// <summary>The stored form of <paramref name="value"/>, for parameters of hand-written SQL.</summary>
    public static string Name(TEnum value) => value.ToString().ToLowerInvariant();
}
