using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using SweepRunner.Cli;

namespace SweepRunner.Deploy.Tests.LocalCluster;

/// <summary>What scripts/cluster.sh refuses, before it starts anything.</summary>
[SupportedOSPlatform("linux")]
public sealed class LocalClusterBadInputTests
{
    [Fact]
    public async Task No_workers_is_refused_as_bad_input()
    {
        await using var cluster = ClusterScript.Create();

        var up = await cluster.RunAsync("up", "--workers", "0");

        Assert.Equal(ExitCodes.BadInput, up.ExitCode);
        Assert.Contains("argument --workers: must be 1 or more", up.Output, StringComparison.Ordinal);
        Assert.Empty(cluster.PidFiles());
    }

    [Fact]
    public async Task A_partly_up_cluster_is_refused_until_down_which_stops_what_still_runs()
    {
        await using var cluster = ClusterScript.Create();
        using var survivor = Process.Start("sleep", "300");
        Directory.CreateDirectory(Path.Combine(cluster.Folder, "pids"));
        // The survivor as the coordinator up started; a worker whose process has ended (its pid since reused by another).
        await File.WriteAllTextAsync(Path.Combine(cluster.Folder, "pids", "coordinator.pid"), $"{survivor.Id} {StartTime(survivor.Id)}\n");
        await File.WriteAllTextAsync(Path.Combine(cluster.Folder, "pids", "worker-1.pid"), $"{Environment.ProcessId} 1\n");

        var up = await cluster.RunAsync("up");
        bool survivedUp = !survivor.HasExited;
        var down = await cluster.RunAsync("down");
        bool stopped = survivor.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.Equal(ExitCodes.Failure, up.ExitCode);
        Assert.Contains("is partly up (worker-1 exited): run scripts/cluster.sh down, then up", up.Output, StringComparison.Ordinal);
        Assert.True(survivedUp, "up stopped a process");
        Assert.True(down.ExitCode == 0, down.Output);
        Assert.True(stopped, "down did not stop the coordinator's process");
        Assert.Empty(cluster.PidFiles());
    }

    // Field 22 of /proc/PID/stat: what the pid file holds beside the pid.
    private static string StartTime(int pid) =>
        File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[19];
}
