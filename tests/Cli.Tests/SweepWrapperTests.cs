using System.Diagnostics;
using System.Runtime.Versioning;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// The checkout's <c>sweep</c> wrapper, run by bash in a copy of the checkout's layout whose <c>dotnet</c> and
/// <c>scripts/setup.sh</c> only log what they were asked: it sets up and publishes when there is no publish of the CLI,
/// publishes again when an input is newer than the last publish (one line on standard error), and otherwise goes
/// straight to the CLI.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SweepWrapperTests : IDisposable
{
    private const string Dll = "src/Cli/bin/Release/net10.0/linux-x64/publish/sweep.dll";

    private readonly TempDirectory checkout = new();

    public SweepWrapperTests()
    {
        string root = Path.GetDirectoryName(Path.GetDirectoryName(Examples.Find("quick.yaml")))!;
        File.Copy(Path.Combine(root, "sweep"), At("sweep"));
        Write("scripts/setup.sh", $"""
            #!/usr/bin/env bash
            cd "$(dirname "$0")/.."
            echo setup >> "$WRAPPER_LOG"
            """);
        // The CLI's stand-in prints its arguments, and its W^X setting when asked to, and exits 3 when asked to;
        // `dotnet publish` makes the CLI, and fails when BUILD_FAILS is set.
        Write("fake-bin/dotnet", $$"""
            #!/usr/bin/env bash
            echo "dotnet $1" >> "$WRAPPER_LOG"
            if [[ $1 == publish ]]; then
                [[ -z ${BUILD_FAILS:-} ]] || { echo "Model.cs(1,1): error CS1002: ; expected"; exit 1; }
                mkdir -p {{At(Path.GetDirectoryName(Dll)!)}} && touch {{At(Dll)}}
                exit 0
            fi
            shift
            echo "sweep $*"
            [[ $* != *show-wx* ]] || echo "W^X: ${DOTNET_EnableWriteXorExecute-runtime default}"
            [[ $* != *exit-3* ]] || exit 3
            """);
        Write("src/Models/Model.cs", "class Model {}");
        Write("build/Fix.targets", "<Project />");
        Write("SweepRunner.sln", "");
    }

    [Fact]
    public async Task Without_a_publish_it_sets_up_and_publishes_then_runs_and_the_next_call_builds_nothing()
    {
        var first = await RunAsync("validate", "examples/quick.yaml");
        var second = await RunAsync("validate", "examples/quick.yaml");

        Assert.Equal((0, "sweep validate examples/quick.yaml\n"), (first.ExitCode, first.Output));
        Assert.Equal((0, "sweep validate examples/quick.yaml\n", ""), (second.ExitCode, second.Output, second.Error));
        Assert.Equal(["setup", "dotnet publish", "dotnet " + At(Dll), "dotnet " + At(Dll)], Log());
    }

    [Fact]
    public async Task A_changed_source_is_built_once_announced_in_one_line_on_standard_error()
    {
        await RunAsync("status");
        Age("src/Cli/bin/Release/.sweep-built", TimeSpan.FromMinutes(2));
        Age("src/Models/Model.cs", TimeSpan.FromMinutes(1));

        var changed = await RunAsync("status");
        var unchanged = await RunAsync("status");

        Assert.Equal((0, "sweep status\n"), (changed.ExitCode, changed.Output));
        Assert.Equal("sweep: sources changed since the last build; building the CLI (Release)…\n", changed.Error);
        Assert.Equal("", unchanged.Error);
        Assert.Equal(["setup", "dotnet publish", "dotnet " + At(Dll), "dotnet publish", "dotnet " + At(Dll), "dotnet " + At(Dll)], Log());
    }

    [Fact]
    public async Task A_failed_build_shows_its_errors_runs_nothing_and_is_tried_again_next_time()
    {
        await RunAsync("status");
        Age("src/Cli/bin/Release/.sweep-built", TimeSpan.FromMinutes(2));
        Age("build/Fix.targets", TimeSpan.FromMinutes(1));

        var failed = await RunAsync(new Dictionary<string, string> { ["BUILD_FAILS"] = "1" }, "status");
        var retried = await RunAsync("status", "exit-3");

        Assert.Equal((1, ""), (failed.ExitCode, failed.Output));
        Assert.Contains("error CS1002", failed.Error, StringComparison.Ordinal);
        Assert.Equal(3, retried.ExitCode);
        Assert.Equal(["setup", "dotnet publish", "dotnet " + At(Dll), "dotnet publish", "dotnet publish", "dotnet " + At(Dll)], Log());
    }

    [Fact]
    public async Task The_CLI_starts_without_W_X_unless_the_environment_says_otherwise()
    {
        var byDefault = await RunAsync("status", "show-wx");
        var keptOn = await RunAsync(new Dictionary<string, string> { ["DOTNET_EnableWriteXorExecute"] = "1" }, "status", "show-wx");

        Assert.Equal((0, "sweep status show-wx\nW^X: 0\n"), (byDefault.ExitCode, byDefault.Output));
        Assert.Equal((0, "sweep status show-wx\nW^X: 1\n"), (keptOn.ExitCode, keptOn.Output));
    }

    public void Dispose() => checkout.Dispose();

    private string At(string relative) => Path.Combine(checkout.Path, relative);

    private void Write(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(At(relative))!);
        File.WriteAllText(At(relative), text.ReplaceLineEndings("\n") + "\n");
        if (relative.EndsWith(".sh", StringComparison.Ordinal) || relative.StartsWith("fake-bin/", StringComparison.Ordinal))
            File.SetUnixFileMode(At(relative), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    // Moves a file's modification time into the past, so that the test needs no sleeping to order two files in time.
    private void Age(string relative, TimeSpan age) => File.SetLastWriteTimeUtc(At(relative), DateTime.UtcNow - age);

    private string[] Log() => File.Exists(At("log")) ? File.ReadAllLines(At("log")) : [];

    private Task<CommandResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string>(), args);

    private async Task<CommandResult> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = checkout.Path };
        start.ArgumentList.Add(At("sweep"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PATH"] = At("fake-bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["WRAPPER_LOG"] = At("log");
        start.Environment.Remove("CONFIGURATION");
        start.Environment.Remove("DOTNET_EnableWriteXorExecute");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CommandResult(process.ExitCode, await output, await error);
    }
}
