using SweepRunner.Contracts.Parameters;

namespace SweepRunner.Models.Data;

/// <summary>
/// The folders a sweep's trials may read their data set from: the bundled MNIST's and the configured ones. A sweep's
/// <c>dataset</c> is free-form text written by whoever submits the sweep and opened on the worker hosts, so it is
/// confined to these roots rather than trusted as a path. A folder counts as inside a root only after <c>..</c> and
/// symbolic links are resolved in both, and only at a path-component boundary (<c>/data-evil</c> is not in <c>/data</c>).
/// </summary>
public sealed class DatasetRoots
{
    /// <summary>Configuration key of the roots beyond the bundled MNIST: folders separated by <see cref="Separator"/>.</summary>
    public const string ConfigurationKey = "Worker:DatasetRoots";

    /// <summary>Separates the folders in <see cref="ConfigurationKey"/> (<c>Worker__DatasetRoots=/data/a;/data/b</c>).</summary>
    public const char Separator = ';';

    // Bounds a chain of links (a loop among others); Linux gives up after 40 as well.
    private const int MaxLinkDepth = 40;

    private readonly Func<string> findBundled;

    private DatasetRoots(IReadOnlyList<string> folders, Func<string> findBundled)
    {
        Folders = folders;
        this.findBundled = findBundled;
    }

    /// <summary>The roots, resolved (full paths with links followed), the bundled MNIST's first when it was found.</summary>
    public IReadOnlyList<string> Folders { get; }

    /// <summary>
    /// The bundled MNIST's folder (when <paramref name="bundledFolder"/> finds it) and the folders of
    /// <paramref name="configured"/> (<see cref="ConfigurationKey"/>'s value; null or empty: none), relative ones
    /// resolved against the current directory.
    /// </summary>
    public static DatasetRoots FromConfiguration(string? configured, Func<string>? bundledFolder = null)
    {
        var findBundled = bundledFolder ?? (() => MnistDataset.FindBundled());
        var folders = new List<string>();
        try
        {
            folders.Add(Resolve(findBundled()));
        }
        catch (DatasetException)
        {
            // No bundled copy here: only the configured roots, and "mnist" fails with the finder's own message.
        }
        foreach (var folder in (configured ?? "").Split(Separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            folders.Add(Resolve(folder));
        return new DatasetRoots([.. folders.Distinct(StringComparer.Ordinal)], findBundled);
    }

    /// <summary>The folder to load for a trial's <c>dataset</c>: null or <see cref="TrainerParameters.BundledDataset"/> is the bundled MNIST.</summary>
    /// <exception cref="DatasetException">The folder is outside every root; the message names the folder and the roots.</exception>
    public string FolderOf(string? dataset)
    {
        if (dataset is null or TrainerParameters.BundledDataset) return findBundled();
        string folder = Resolve(dataset);
        if (Folders.Any(root => IsWithin(folder, root))) return folder;
        string roots = Folders.Count == 0 ? "none" : string.Join(", ", Folders);
        throw new DatasetException(folder, $"outside the dataset roots ({roots}); a worker reads data sets only below them: add the folder to {ConfigurationKey} (environment Worker__DatasetRoots, {Separator}-separated)");
    }

    private static bool IsWithin(string folder, string root)
    {
        if (folder == root) return true;
        string prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return folder.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>The full path of <paramref name="path"/> with <c>..</c> and every symbolic link along it resolved (parts that do not exist are kept as they are).</summary>
    internal static string Resolve(string path) => Resolve(Path.GetFullPath(path), depth: 0);

    private static string Resolve(string fullPath, int depth)
    {
        if (depth > MaxLinkDepth) throw new DatasetException(fullPath, "too many levels of symbolic links");
        string root = Path.GetPathRoot(fullPath)!;
        string current = root;
        foreach (var part in fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            var entry = new FileInfo(current);
            if (entry.LinkTarget is not null && entry.ResolveLinkTarget(returnFinalTarget: false) is { } target)
                // The target may be relative, hold "..", or pass through links of its own.
                current = Resolve(target.FullName, depth + 1);
        }
        return current;
    }
}
