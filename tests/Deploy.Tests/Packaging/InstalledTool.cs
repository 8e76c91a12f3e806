using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>
/// The .NET tool made once for a test class: <c>scripts/package.sh tool</c>, then <c>dotnet tool install --tool-path</c> from
/// that package alone (a nuget.config with only its folder). Packing copies libtorch (~480 MB) into a ~160 MB package: minutes.
/// </summary>
public sealed class InstalledTool : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("sweep-tool-").FullName;

    /// <summary>The SweepRunner.VERSION.nupkg made.</summary>
    public string Package { get; private set; } = "";

    /// <summary>The installed <c>sweep</c> command.</summary>
    public string Command => Path.Combine(_root, "tools", "sweep");

    /// <summary>A folder outside the repository, so that nothing is found by walking up from the current directory.</summary>
    public string Elsewhere => Path.Combine(_root, "elsewhere");

    public async Task InitializeAsync()
    {
        string packages = Path.Combine(_root, "packages");
        await ChildProcess.RunAsync(RepositoryFiles.Find("scripts/package.sh"), ["tool", "--out", packages]);
        Package = Directory.GetFiles(packages, "SweepRunner.*.nupkg").Single();

        string config = Path.Combine(_root, "nuget.config");
        await File.WriteAllTextAsync(config,
            $"""<configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>""");
        await DotnetCli.RunAsync("tool", "install", "SweepRunner", "--tool-path", Path.Combine(_root, "tools"), "--configfile", config);
        Directory.CreateDirectory(Elsewhere);
    }

    /// <summary>Runs the installed <c>sweep</c> in <see cref="Elsewhere"/> (coreutils' env changes the directory).</summary>
    public Task<string> RunAsync(params string[] arguments) => ChildProcess.RunAsync("env", ["-C", Elsewhere, Command, .. arguments]);

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }
}
