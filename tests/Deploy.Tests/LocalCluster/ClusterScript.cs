using System.Globalization;
using System.Runtime.Versioning;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.LocalCluster;

/// <summary>
/// scripts/cluster.sh on a cluster folder of its own (a temp folder), running the CLI built beside these tests; on
/// dispose, <c>down</c> and the folder deleted.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ClusterScript : IAsyncDisposable
{
    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    private readonly string script = RepositoryFiles.Find("scripts/cluster.sh");

    private ClusterScript(string folder, string sweep)
    {
        Folder = folder;
        Sweep = sweep;
    }

    /// <summary>The cluster's folder (<c>--dir</c>).</summary>
    public string Folder { get; }

    /// <summary>The sweep program the cluster runs (<c>--sweep</c>).</summary>
    public string Sweep { get; }

    /// <summary>
    /// A fresh cluster folder, traversable by every user: run as root, the script runs PostgreSQL as the system user postgres.
    /// </summary>
    public static ClusterScript Create()
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-cluster-").FullName;
        File.SetUnixFileMode(folder, ReadableByAll);
        return new ClusterScript(folder, SweepProgram());
    }

    /// <summary>Runs <c>cluster.sh ACTION ARGS --dir FOLDER --sweep SWEEP</c> to its end.</summary>
    public async Task<ChildProcessResult> RunAsync(string action, params string[] arguments)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        return await ChildProcess.ExecuteAsync(script, [action, .. arguments, "--dir", Folder, "--sweep", Sweep], cancellationToken: timeout.Token);
    }

    /// <summary>The processes <c>up</c> recorded: pid file name (without .pid) and pid.</summary>
    public IReadOnlyDictionary<string, int> PidFiles() =>
        Directory.Exists(Path.Combine(Folder, "pids"))
            ? Directory.GetFiles(Path.Combine(Folder, "pids"), "*.pid").ToDictionary(
                file => Path.GetFileNameWithoutExtension(file),
                file => int.Parse(File.ReadAllText(file).Split(' ')[0], CultureInfo.InvariantCulture))
            : new Dictionary<string, int>();

    /// <summary>The address <c>up</c> printed for <paramref name="what"/> (a line <c>WHAT: VALUE</c>).</summary>
    public static string Printed(string output, string what)
    {
        var line = output.Split('\n').FirstOrDefault(line => line.StartsWith(what + ": ", StringComparison.Ordinal));
        return line is null ? throw new InvalidOperationException($"up did not print '{what}: …':\n{output}") : line[(what.Length + 2)..].Split(' ')[0].Trim();
    }

    /// <summary>Processes whose command line names the cluster folder (PostgreSQL's -D, Prometheus' --config.file …).</summary>
    public IReadOnlyList<int> ProcessesNamingFolder() =>
        Directory.GetDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => name!.All(char.IsAsciiDigit))
            .Select(name => (Pid: int.Parse(name!, CultureInfo.InvariantCulture), CommandLine: CommandLine(name!)))
            .Where(process => process.CommandLine.Contains(Folder, StringComparison.Ordinal))
            .Select(process => process.Pid)
            .ToList();

    public static bool IsAlive(int pid)
    {
        try
        {
            // A zombie has ended: only its exit status waits for its parent.
            return !File.ReadAllText($"/proc/{pid}/stat").Split(')')[^1].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("down");
        Directory.Delete(Folder, recursive: true);
    }

    private static string CommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return ""; // Exited meanwhile.
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    // The apphost built beside these tests.
    private static string SweepProgram() => Path.Combine(AppContext.BaseDirectory, "sweep");
}
