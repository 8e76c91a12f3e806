using Microsoft.Extensions.Configuration;
using Orleans.Hosting;

namespace SweepRunner.Coordinator.Cluster;

/// <summary>
/// Coordinator silos run as pods of a Kubernetes Deployment: with <c>Orleans:Kubernetes=true</c> (environment
/// <c>Orleans__Kubernetes</c>, set by deploy/k8s) the silo takes its name from the pod (<c>POD_NAME</c>,
/// <c>POD_NAMESPACE</c>, <c>POD_IP</c> from the downward API) and watches its fellow silos' pods, deleting the pod of a
/// silo the cluster declared dead so that Kubernetes replaces it. An explicit switch rather than a guess from the
/// environment: the watch needs a service account allowed to list and delete pods, which the manifests grant.
/// The cluster's ids stay <see cref="Contracts.Grains.ClusterIdentity"/>'s; the pods' <c>orleans/serviceId</c> and
/// <c>orleans/clusterId</c> labels, which the watch selects by, carry the same values.
/// </summary>
public static class KubernetesHosting
{
    /// <summary>Configuration key of the switch (environment: <c>Orleans__Kubernetes</c>).</summary>
    public const string Key = "Orleans:Kubernetes";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue(Key, defaultValue: false);

    /// <summary>Adds Orleans' Kubernetes hosting to <paramref name="silo"/> when the switch is on.</summary>
    public static void UseWhenEnabled(ISiloBuilder silo, IConfiguration configuration)
    {
        if (IsEnabled(configuration)) silo.UseKubernetesHosting();
    }
}
