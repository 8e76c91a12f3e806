using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using SweepRunner.Common;

namespace SweepRunner.Storage.Configurations;

/// <summary>Stores an enum as its lower-case name (<see cref="EnumNames.LowerName"/>), readable in SQL and stable when members are reordered.</summary>
internal sealed class StoredEnum<TEnum>() : ValueConverter<TEnum, string>(value => value.LowerName(), name => Enum.Parse<TEnum>(name, true))
    where TEnum : struct, Enum;
