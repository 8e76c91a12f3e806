using System.Globalization;
using System.Net;
using Npgsql;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// Runs a <see cref="DeployedCommand"/> of compose or Kubernetes on this machine with the real <c>sweep</c>. The one
/// place where the deployment's world is mapped onto the test's, and nothing else is changed:
/// <list type="bullet">
/// <item>the store: <c>Host=postgres</c>, its database and role become the test's PostgreSQL and database (roles
/// are not the subject here: every one is the test server's superuser);</item>
/// <item>addresses: the advertised ones (the compose service name, the pod's IP) become this host's name, which is
/// not loopback, so the coordinator's refusal of built-in cluster ids still applies;</item>
/// <item>ports: the API's 5080 in <c>--urls</c> and the worker's <c>--metrics-port</c> become free ports, and so do
/// the silo's and gateway's 11111 and 30000 (<c>Orleans__SiloPort</c>, <c>Orleans__GatewayPort</c>);</item>
/// <item>files: each secret file becomes a temp file with its content, /datasets a temp folder;</item>
/// <item><c>Orleans__Kubernetes</c> is dropped: its hosting needs a Kubernetes API server
/// (<see cref="KubernetesHostingTests"/> checks that the manifest's value turns it on).</item>
/// </list>
/// </summary>
public sealed class LocalMachine(string database, string folder)
{
    private static readonly string[] AdvertisedAddresses = ["coordinator", KubernetesManifests.PodIp];
    private const string DatasetsFolder = "/datasets";
    private const string ApiPort = ":5080";

    /// <summary>The API's port on this machine (the deployment's 5080).</summary>
    public int Api { get; } = FreePort.Pick();

    /// <summary>The worker's metrics port on this machine.</summary>
    public int Metrics { get; } = FreePort.Pick();

    private readonly string siloPort = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
    private readonly string gatewayPort = FreePort.Pick().ToString(CultureInfo.InvariantCulture);

    /// <summary>Starts <paramref name="command"/> as the mapping says.</summary>
    public SweepProcess Start(DeployedCommand command)
    {
        var files = command.Files.ToDictionary(file => file.Key, file => WriteFile(command.Service, file.Key, file.Value));
        var environment = command.Environment
            .Where(variable => variable.Key != "Orleans__Kubernetes")
            .ToDictionary(variable => variable.Key, variable => MapValue(variable.Key, variable.Value, files));
        environment["Orleans__SiloPort"] = siloPort;
        environment["Orleans__GatewayPort"] = gatewayPort;
        return SweepProcess.Start(environment, [.. MapArguments(command.Arguments, files)]);
    }

    private string MapValue(string name, string value, IReadOnlyDictionary<string, string> files) => name switch
    {
        "ConnectionStrings__SweepRunner" => MapStore(value),
        _ => MapPaths(AdvertisedAddresses.Contains(value) ? Dns.GetHostName() : value, files),
    };

    private IEnumerable<string> MapArguments(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> files)
    {
        for (int i = 0; i < arguments.Count; i++)
        {
            string argument = arguments[i];
            string? previous = i > 0 ? arguments[i - 1] : null;
            yield return previous switch
            {
                "--advertise" => AdvertisedAddresses.Contains(argument) ? Dns.GetHostName() : throw new InvalidOperationException($"unexpected address {argument}"),
                "--metrics-port" => Metrics.ToString(CultureInfo.InvariantCulture),
                "--urls" when argument.EndsWith(ApiPort, StringComparison.Ordinal) => argument[..^ApiPort.Length] + ":" + Api.ToString(CultureInfo.InvariantCulture),
                _ => MapPaths(argument, files),
            };
        }
    }

    private string MapStore(string deployed)
    {
        var store = new NpgsqlConnectionStringBuilder(deployed);
        if (store.Host != "postgres") throw new InvalidOperationException($"the store is not the deployment's PostgreSQL: {deployed}");
        var local = new NpgsqlConnectionStringBuilder(database);
        (store.Host, store.Port, store.Database, store.Username, store.Password) = (local.Host, local.Port, local.Database, local.Username, local.Password);
        return store.ConnectionString;
    }

    private string MapPaths(string value, IReadOnlyDictionary<string, string> files)
    {
        if (files.TryGetValue(value, out var file)) return file;
        return value == DatasetsFolder ? Directory.CreateDirectory(Path.Combine(folder, "datasets")).FullName : value;
    }

    private string WriteFile(string service, string containerPath, byte[] content)
    {
        string path = Path.Combine(folder, service.Replace('/', '-'), containerPath.TrimStart('/').Replace('/', '-'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }
}
