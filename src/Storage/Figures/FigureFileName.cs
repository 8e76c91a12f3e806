using System.Text.RegularExpressions;

namespace SweepRunner.Storage.Figures;

/// <summary>
/// The names a trial's figures may have: plain PNG file names (ASCII letters, digits, '-', '_', '.'), so that a client
/// can write a figure into a folder under the name it was given without ever leaving that folder.
/// </summary>
public static partial class FigureFileName
{
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+\.png\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
