using System.Diagnostics;
using System.Text;

namespace SweepRunner.TestSupport;

/// <summary>A <c>sweep</c> command in a process of its own (<c>dotnet sweep.dll …</c>), its output collected; killed on dispose.</summary>
public sealed class SweepProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private SweepProcess(Process process) => this.process = process;

    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>
    /// Starts <c>sweep ARGS</c> from the sweep.dll built beside the calling tests (their project references the CLI), in
    /// the checkout's root (for data/mnist).
    /// </summary>
    public static SweepProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepositoryFiles.Find("examples"))!,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "sweep.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var sweep = new SweepProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet sweep.dll"));
        sweep.process.OutputDataReceived += (_, e) => sweep.Append(e.Data);
        sweep.process.ErrorDataReceived += (_, e) => sweep.Append(e.Data);
        sweep.process.BeginOutputReadLine();
        sweep.process.BeginErrorReadLine();
        return sweep;
    }

    /// <summary>Waits until the output has <paramref name="text"/>; fails with the output when the process exits or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (process.HasExited) throw new InvalidOperationException($"sweep exited with {process.ExitCode} before printing '{text}':\n{Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"sweep did not print '{text}' within {timeout}:\n{Output}");
            await Task.Delay(100);
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>Kills the process with SIGKILL (kill -9), as a crash would: no shutdown code runs.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Sends SIGTERM (as a service manager stops it; SIGINT, Ctrl-C, takes the same path) and waits for the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cancellation = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancellation.Token);
        return process.ExitCode;
    }

    /// <summary>Waits for the process to end by itself (its output read to the end) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"sweep did not exit within {timeout}:\n{Output}");
        }
        return process.ExitCode;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }
}
