using System.Text.RegularExpressions;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Packaging;

/// <summary>
/// deploy/docker/Dockerfile and the root .dockerignore, checked without Docker: what the build copies is in the repository and in
/// the build context, stages and ARGs referenced exist, base images are pinned, the image runs as a non-root user, and it is
/// built with the tarball's own publish (scripts/package.sh).
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load(RepositoryFiles.Find("deploy/docker/Dockerfile"));
    private static readonly DockerIgnore Ignore = DockerIgnore.Load(RepositoryFiles.Find(".dockerignore"));
    private static readonly string Root = Path.GetDirectoryName(RepositoryFiles.Find(".dockerignore"))!;

    [Fact]
    public void Every_copied_file_exists_and_is_in_the_build_context()
    {
        var sources = File.Stages.SelectMany(stage => stage.All("COPY"))
            .Where(copy => copy.Flag("from") is null)
            .SelectMany(copy => copy.Operands[..^1])
            .ToList();
        Assert.NotEmpty(sources);

        foreach (var source in sources)
        {
            string path = Path.Combine(Root, source);
            Assert.True(System.IO.File.Exists(path) || Directory.Exists(path), $"COPY {source}: not in the repository");
            var files = Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Where(IsSource).ToList() : [path];
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                string relative = Path.GetRelativePath(Root, file).Replace('\\', '/');
                Assert.False(Ignore.Excludes(relative), $"COPY {source}: {relative} is left out of the build context by .dockerignore");
            }
        }
    }

    [Fact]
    public void Build_context_leaves_out_build_outputs_and_what_the_image_does_not_need()
    {
        Assert.True(Ignore.Excludes("src/Models/bin/Release/net10.0/linux-x64/libtorch_cpu.so"));
        Assert.True(Ignore.Excludes("src/Cli/obj/project.assets.json"));
        Assert.True(Ignore.Excludes("src/WebUi/web/node_modules/echarts/package.json"));
        Assert.False(Ignore.Excludes("src/WebUi/web/package-lock.json"));
        Assert.True(Ignore.Excludes("tests/Cli.Tests/Cli.Tests.csproj"));
        Assert.True(Ignore.Excludes(".git/HEAD"));
        Assert.True(Ignore.Excludes("artifacts/sweep-1.0.0-linux-x64.tar.gz"));
        Assert.False(Ignore.Excludes("src/Cli/Cli.csproj"));
        Assert.False(Ignore.Excludes("data/mnist/SHA256SUMS"));
    }

    [Fact]
    public void Stages_and_args_that_are_referenced_are_declared()
    {
        var stageNames = new List<string>();
        foreach (var stage in File.Stages)
        {
            foreach (var variable in Variables(stage.Image))
                Assert.True(File.GlobalArgs.ContainsKey(variable), $"FROM {stage.Image}: ARG {variable} is not declared before the first FROM");

            var stageArgs = stage.All("ARG").Select(arg => Dockerfile.ParseArg(arg.Arguments).Name)
                .Concat(stage.All("ENV").Select(env => env.Arguments.Split('=', 2)[0]))
                .ToHashSet(StringComparer.Ordinal);
            foreach (var run in stage.All("RUN"))
            {
                foreach (var variable in Variables(run.Arguments))
                    Assert.True(stageArgs.Contains(variable), $"stage {stage.Name}: RUN uses ${variable}, which the stage does not declare");
            }
            foreach (var copy in stage.All("COPY").Where(copy => copy.Flag("from") is not null))
                Assert.True(stageNames.Contains(copy.Flag("from")!), $"COPY --from={copy.Flag("from")}: no earlier stage has that name");

            if (stage.Name is not null) stageNames.Add(stage.Name);
        }
    }

    [Fact]
    public void Base_images_are_pinned_to_a_tag()
    {
        var images = File.Stages.Select(stage => stage.Image)
            .SelectMany(image => Variables(image).Any() ? Variables(image).Select(variable => File.GlobalArgs[variable]) : [image])
            .Where(image => !File.Stages.Any(stage => stage.Name == image))
            .ToList();
        Assert.NotEmpty(images);

        foreach (var image in images)
        {
            Assert.False(string.IsNullOrEmpty(image), "a base image ARG has no default");
            string tag = image!.Contains(':', StringComparison.Ordinal) ? image[(image.LastIndexOf(':') + 1)..] : "";
            Assert.True(tag.Length > 0 && tag != "latest", $"{image} is not pinned to a tag");
        }
        Assert.Equal("cpu", File.Stage("build").All("ARG").Select(arg => Dockerfile.ParseArg(arg.Arguments)).Single(arg => arg.Name == "TORCH_BACKEND").Default);
    }

    [Fact]
    public void Image_runs_sweep_from_app_as_the_non_root_user_10001()
    {
        var runtime = File.Stages[^1];

        Assert.Equal("10001:10001", runtime.All("USER").Last().Arguments);
        Assert.Contains(runtime.All("RUN"), run => run.Arguments.Contains("useradd --uid 10001 --user-group", StringComparison.Ordinal) && run.Words.Contains("sweep"));
        Assert.Equal("[\"/app/sweep\"]", runtime.All("ENTRYPOINT").Single().Arguments);
        Assert.Contains(runtime.All("COPY"), copy => copy.Flag("from") == "build" && copy.Operands.SequenceEqual(["/app", "/app"]));
        Assert.Equal(["5080", "11111", "30000", "9464"], runtime.All("EXPOSE").SelectMany(expose => expose.Words));
        Assert.Equal("/datasets", runtime.All("VOLUME").Single().Arguments);
    }

    [Fact]
    public void Build_stage_publishes_like_the_tarball_and_decides_the_native_fix_against_the_runtime_base()
    {
        var build = File.Stage("build");
        var runtimeBase = File.Stages.Single(stage => stage.Image == "${RUNTIME_BASE}");
        var libStdCxxCopy = build.All("COPY").Single(copy => copy.Flag("from") == runtimeBase.Name);
        string targetFolder = libStdCxxCopy.Operands[^1];

        var publish = build.All("RUN").Single(run => run.Arguments.StartsWith("scripts/package.sh ", StringComparison.Ordinal)).Words;
        Assert.Equal(["scripts/package.sh", "publish", "--out", "/app"], publish[..4]);
        Assert.Equal("\"$TORCH_BACKEND\"", publish[Array.IndexOf(publish, "--torch-backend") + 1]);
        Assert.Equal(targetFolder + "libstdc++.so.6", publish[Array.IndexOf(publish, "--target-libstdcxx") + 1]);
        Assert.Equal(File.Stages[^1].Image, runtimeBase.Name);

        // The tarball is the same publish, packed: one function in the script makes both.
        string script = System.IO.File.ReadAllText(RepositoryFiles.Find("scripts/package.sh"));
        Assert.Equal(3, PublishFunction().Count(script));
    }

    /// <summary>Not a build output: bin/ and obj/ of .NET, node_modules/ of the dashboard's npm install.</summary>
    private static bool IsSource(string file) =>
        !file.Split(Path.DirectorySeparatorChar).Any(segment => segment is "bin" or "obj" or "node_modules");

    private static IEnumerable<string> Variables(string text) =>
        VariableReference().Matches(text).Select(match => match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"\bpublish_self_contained\b")]
    private static partial Regex PublishFunction();
}
