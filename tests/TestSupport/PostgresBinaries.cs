using System.Globalization;

namespace SweepRunner.TestSupport;

/// <summary>Finds the PostgreSQL server programs of Debian's packages (/usr/lib/postgresql/VERSION/bin), newest version first.</summary>
public static class PostgresBinaries
{
    public const string Root = "/usr/lib/postgresql";

    public static string Find()
    {
        var found = Directory.Exists(Root)
            ? Directory.GetDirectories(Root)
                .Where(version => File.Exists(Path.Combine(version, "bin", "initdb")))
                .OrderByDescending(version => int.TryParse(Path.GetFileName(version), NumberStyles.Integer, CultureInfo.InvariantCulture, out int major) ? major : 0)
                .FirstOrDefault()
            : null;
        return found is null
            ? throw new InvalidOperationException($"PostgreSQL server programs not found ({Root}/*/bin/initdb); run scripts/setup.sh, which installs the apt package postgresql")
            : Path.Combine(found, "bin");
    }
}
