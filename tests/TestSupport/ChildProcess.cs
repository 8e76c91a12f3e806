using System.Diagnostics;

namespace SweepRunner.TestSupport;

/// <summary>Runs a program to completion without a shell, optionally as another user.</summary>
public static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="program"/>, as <paramref name="user"/> through runuser when given; returns its output, or
    /// throws <see cref="ChildProcessException"/> with its command line and output when it fails.
    /// </summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? user = null, CancellationToken cancellationToken = default)
    {
        var commandLine = arguments.ToList();
        var result = await ExecuteAsync(program, commandLine, user, cancellationToken: cancellationToken);
        if (result.ExitCode != 0)
            throw new ChildProcessException($"{Path.GetFileName(program)} {string.Join(' ', commandLine)} exited with {result.ExitCode}: {result.Output}");
        return result.Output;
    }

    /// <summary>
    /// Runs <paramref name="program"/> (with <paramref name="input"/> on its standard input when given) and returns its
    /// exit code and output whatever they are: for checks that must fail.
    /// </summary>
    public static async Task<ChildProcessResult> ExecuteAsync(
        string program, IEnumerable<string> arguments, string? user = null, string? input = null, CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(user is null ? program : "runuser")
        {
            RedirectStandardInput = input is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            foreach (var argument in new[] { "-u", user, "--", program }) start.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }
        await process.WaitForExitAsync(cancellationToken);
        return new ChildProcessResult(process.ExitCode, (await output + await error).Trim());
    }
}
