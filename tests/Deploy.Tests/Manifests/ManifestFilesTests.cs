using SweepRunner.TestSupport;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;
using static SweepRunner.Deploy.Tests.YamlTree;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// deploy/compose.yaml, deploy/kustomization.yaml and the manifests of deploy/k8s: they parse, the files they name
/// exist, Kubernetes' ConfigMaps come from the files compose mounts, the cluster's ids agree, secrets stay out of them,
/// and kustomize builds them where kubectl is installed.
/// </summary>
public sealed class ManifestFilesTests(ITestOutputHelper output)
{
    private const string Kustomization = "kustomization.yaml";
    private const string KedaOverlay = "k8s/overlays/keda";

    [Fact]
    public void Every_file_compose_names_exists()
    {
        var compose = ComposeFile.Load();
        var named = new List<string>();
        foreach (var service in compose.ServiceNames.Select(compose.Service))
        {
            named.AddRange(Scalars(service, "volumes").Select(compose.Interpolate).Select(volume => volume.Split(':')[0]).Where(source => source.StartsWith('.')));
            if (Mapping(service, "build") is { Children.Count: > 0 } build)
                named.Add(Path.Combine(Scalar(build, "context"), Scalar(build, "dockerfile")));
        }
        named.Add(ComposeFile.EnvExample);

        Assert.Contains("./prometheus", named);
        Assert.Contains("./grafana/dashboards", named);
        Assert.All(named.Where(source => source != "./datasets"), source => Assert.True(DeployFolder.Exists(DeployFolder.File(source)), $"compose.yaml names {source}, which is not in deploy/"));
    }

    [Fact]
    public void Every_file_the_kustomizations_name_exists()
    {
        var files = KubernetesManifests.KustomizationFiles(DeployFolder.File(KubernetesManifests.Folder))
            .Concat(KubernetesManifests.KustomizationFiles(DeployFolder.File(KedaOverlay)))
            .Concat(GeneratedFrom().Select(DeployFolder.File))
            .Append(DeployFolder.File(KubernetesManifests.SecretTemplate));

        Assert.All(files, file => Assert.True(DeployFolder.Exists(file), $"a kustomization names {file}, which does not exist"));
        Assert.All(KubernetesManifests.Load().Resources, entry => Assert.False(string.IsNullOrEmpty(Scalar(entry.Resource, "kind")), $"{entry.File}: an object without kind"));
    }

    [Fact]
    public void Kubernetes_ConfigMaps_are_generated_from_the_files_compose_mounts()
    {
        var generated = GeneratedFrom().ToHashSet();

        var shipped = Directory.EnumerateFiles(DeployFolder.File("grafana/dashboards"), "*.json")
            .Concat(Directory.EnumerateFiles(DeployFolder.File("prometheus/rules"), "*.yml"))
            .Append(DeployFolder.File("prometheus/prometheus.yml"))
            .Append(DeployFolder.File("grafana/provisioning/datasources/sweeprunner.yml"))
            .Append(DeployFolder.File("grafana/provisioning/dashboards/sweeprunner.yml"))
            .Select(file => Path.GetRelativePath(DeployFolder.Root, file));
        Assert.All(shipped, file => Assert.Contains(file, generated));
        Assert.Contains("set-addresses.sh", generated);
        Assert.Contains("postgres/db-roles.sh", generated);
    }

    [Fact]
    public void The_workers_join_with_the_coordinators_cluster_ids_and_compose_sets_its_own()
    {
        var manifests = KubernetesManifests.Load();
        var coordinator = manifests.Command("Deployment", "coordinator", "coordinator");
        var worker = manifests.Command("Deployment", "worker", "worker");
        var labels = Mapping(Mapping(manifests.PodTemplate("Deployment", "coordinator"), "metadata"), "labels");

        Assert.Equal(Scalar(labels, "orleans/serviceId"), coordinator.Environment["Orleans__ServiceId"]);
        Assert.Equal(Scalar(labels, "orleans/clusterId"), coordinator.Environment["Orleans__ClusterId"]);
        Assert.Equal(coordinator.Environment["Orleans__ServiceId"], worker.Environment["Orleans__ServiceId"]);
        Assert.Equal(coordinator.Environment["Orleans__ClusterId"], worker.Environment["Orleans__ClusterId"]);
        Assert.NotEqual("sweeprunner", coordinator.Environment["Orleans__ServiceId"]);

        var compose = ComposeFile.Load();
        Assert.NotEqual("sweeprunner", compose.Command("coordinator").Environment["Orleans__ServiceId"]);
        Assert.Equal(compose.Command("coordinator").Environment["Orleans__ClusterId"], compose.Command("worker").Environment["Orleans__ClusterId"]);
    }

    [Fact]
    public void The_GPU_workers_train_on_CUDA_with_one_GPU_each()
    {
        var gpu = ComposeFile.Load().Service("worker-gpu");
        Assert.Contains("gpu", Scalars(gpu, "profiles"));
        var device = Sequence(Mapping(Mapping(Mapping(gpu, "deploy"), "resources"), "reservations"), "devices").Single();
        Assert.Equal(("nvidia", "1"), (Scalar(device, "driver"), Scalar(device, "count")));
        Assert.Equal(["--device", "cuda", "--tag", "gpu"], Scalars(gpu, "command").TakeLast(4));

        var patch = new YamlStream();
        patch.Load(new StringReader(Scalar(Sequence(Load(DeployFolder.File("k8s/worker-gpu/kustomization.yaml")), "patches").Single(), "patch")));
        var pod = Mapping(Mapping(Mapping((YamlMappingNode)patch.Documents[0].RootNode, "spec"), "template"), "spec");
        var container = Sequence(pod, "containers").Single();
        Assert.Equal("1", Scalar(container, "resources", "limits", "nvidia.com/gpu"));
        Assert.Equal(["--device", "cuda", "--tag", "gpu"], Scalars(container, "args").TakeLast(4));
        Assert.NotEmpty(Mapping(pod, "nodeSelector").Children);
        Assert.NotEmpty(Sequence(pod, "tolerations"));
    }

    [Fact]
    public void Workers_scale_in_compose_and_no_secret_is_in_a_file_or_command_line()
    {
        var compose = ComposeFile.Load();
        var worker = compose.Service("worker");
        Assert.Equal("", Scalar(worker, "container_name"));
        Assert.Empty(Sequence(worker, "ports"));
        Assert.Empty(Scalars(worker, "ports"));

        string text = File.ReadAllText(DeployFolder.File(ComposeFile.Path));
        foreach (var secret in ComposeFile.ReadEnvFile(DeployFolder.File(ComposeFile.EnvExample)).Values.Where(value => value.StartsWith("CHANGE", StringComparison.Ordinal)))
        {
            Assert.DoesNotContain(secret, text);
            Assert.All(compose.ServiceNames, service => Assert.DoesNotContain(secret, string.Join(' ', compose.Command(service).Arguments)));
        }
        Assert.All(KubernetesManifests.Load().Resources.Where(entry => Scalar(entry.Resource, "kind") == "Secret"), entry => Assert.Fail($"{entry.File}: a Secret among the applied manifests"));
    }

    [Fact]
    public async Task Kustomize_builds_the_manifests_and_the_KEDA_overlay()
    {
        var scaler = LoadDocuments(DeployFolder.File($"{KedaOverlay}/worker-scaler.yaml")).Single();
        var trigger = Sequence(Mapping(scaler, "spec"), "triggers").Single();
        Assert.Equal(("ScaledObject", "worker"), (Scalar(scaler, "kind"), Scalar(scaler, "spec", "scaleTargetRef", "name")));
        Assert.Equal("prometheus", Scalar(trigger, "type"));
        Assert.Contains("http://prometheus.", Scalar(trigger, "metadata", "serverAddress"));
        Assert.Contains("sweeprunner_queue_depth", Scalar(trigger, "metadata", "query"));
        Assert.Contains("`sweeprunner_queue_depth`", File.ReadAllText(RepositoryFiles.Find("docs/metrics.md")));
        KubernetesManifests.Load().Resource("Deployment", Scalar(scaler, "spec", "scaleTargetRef", "name"));

        if (!File.Exists(Kubectl))
        {
            output.WriteLine($"SKIPPED ASSERTION: {Kubectl} is not installed, so `kubectl kustomize` was not run; the other tests of {nameof(ManifestFilesTests)} read the same files.");
            return;
        }
        var built = await ChildProcess.ExecuteAsync(Kubectl, ["kustomize", DeployFolder.Root]);
        Assert.True(built.ExitCode == 0, built.Output);
        var objects = ParseAll(built.Output);
        var worker = objects.Single(o => Scalar(o, "kind") == "Deployment" && Scalar(o, "metadata", "name") == "worker-gpu");
        var coordinatorLabels = Mapping(Mapping(Mapping(Mapping(objects.Single(o => Scalar(o, "kind") == "Deployment" && Scalar(o, "metadata", "name") == "coordinator"), "spec"), "template"), "metadata"), "labels");
        var environment = Sequence(Sequence(Mapping(Mapping(Mapping(worker, "spec"), "template"), "spec"), "containers").Single(), "env").ToDictionary(v => Scalar(v, "name"), v => Scalar(v, "value"));
        Assert.Equal(Scalar(coordinatorLabels, "orleans/serviceId"), environment["Orleans__ServiceId"]);
        Assert.All(objects, o => Assert.Equal(KubernetesManifests.Namespace, Scalar(o, "kind") == "Namespace" ? Scalar(o, "metadata", "name") : Scalar(o, "metadata", "namespace")));
        Assert.Contains(objects, o => Scalar(o, "kind") == "ConfigMap" && Scalar(o, "metadata", "name").StartsWith("grafana-dashboards-", StringComparison.Ordinal));

        var keda = await ChildProcess.ExecuteAsync(Kubectl, ["kustomize", DeployFolder.File(KedaOverlay)]);
        Assert.True(keda.ExitCode == 0, keda.Output);
        Assert.Contains("sweeprunner_queue_depth", keda.Output);
    }

    private const string Kubectl = "/usr/bin/kubectl";

    /// <summary>The files deploy/kustomization.yaml generates ConfigMaps from, relative to deploy/.</summary>
    private static IEnumerable<string> GeneratedFrom() =>
        Sequence(Load(DeployFolder.File(Kustomization)), "configMapGenerator")
            .SelectMany(generator => Scalars(generator, "files"))
            .Select(file => file.Split('=').Last());

    private static List<YamlMappingNode> ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(document => (YamlMappingNode)document.RootNode)];
    }
}
