namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// What a deployment file (compose.yaml or the Kubernetes manifests) gives one of <c>sweep</c>'s processes: its
/// arguments, its environment as the container sees it, and the secret files mounted into it (path in the container →
/// content).
/// </summary>
public sealed record DeployedCommand(
    string Service,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, byte[]> Files)
{
    /// <summary>The value after <paramref name="option"/> in the arguments; null when it is not given.</summary>
    public string? Option(string option)
    {
        int at = Arguments.ToList().IndexOf(option);
        return at >= 0 && at + 1 < Arguments.Count ? Arguments[at + 1] : null;
    }
}
