using System.Diagnostics;

namespace SweepRunner.TestSupport;

/// <summary>Runs a program to completion without a shell, optionally as another user; fails with its output when it fails.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <paramref name="program"/>, as <paramref name="user"/> through runuser when given; returns its output.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? user = null, CancellationToken cancellationToken = default)
    {
        var commandLine = arguments.ToList();
        var start = new ProcessStartInfo(user is null ? program : "runuser")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            foreach (var argument in new[] { "-u", user, "--", program }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in commandLine) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        string text = (await output + await error).Trim();
        if (process.ExitCode != 0)
            throw new ChildProcessException($"{Path.GetFileName(program)} {string.Join(' ', commandLine)} exited with {process.ExitCode}: {text}");
        return text;
    }
}
