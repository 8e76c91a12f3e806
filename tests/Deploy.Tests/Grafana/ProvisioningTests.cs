using System.Text.RegularExpressions;
using SweepRunner.TestSupport;
using YamlDotNet.RepresentationModel;
using static SweepRunner.Deploy.Tests.YamlTree;

namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>deploy/grafana/provisioning: the data sources the dashboards name, the read-only role, no password in a file.</summary>
public sealed partial class ProvisioningTests
{
    [Fact]
    public void Every_dashboard_defaults_to_a_provisioned_data_source_of_its_type()
    {
        var provisioned = DataSources().ToDictionary(source => Scalar(source, "uid"), source => Scalar(source, "type"));

        foreach (var dashboard in DashboardFile.LoadAll(RepositoryFiles.Find(DashboardFile.Folder)))
        {
            var variable = dashboard.Variable("datasource")!;
            string uid = (string)variable["current"]!["value"]!;
            Assert.True(provisioned.TryGetValue(uid, out var type), $"{dashboard.Name}: data source {uid} is not provisioned");
            Assert.Equal((string?)variable["query"], type);
        }
    }

    [Fact]
    public void PostgreSQL_is_read_as_the_read_only_role_with_a_password_from_the_environment()
    {
        var postgres = DataSources().Single(source => Scalar(source, "uid") == "sweeprunner-postgres");

        Assert.Equal("grafana-postgresql-datasource", Scalar(postgres, "type"));
        Assert.Equal(ReadonlyStoreFixture.Role, Scalar(postgres, "user"));
        Assert.Matches(ExpandedSecret(), Scalar(postgres, "secureJsonData", "password"));
        Assert.False(string.IsNullOrEmpty(Scalar(postgres, "jsonData", "database")));
    }

    [Fact]
    public void The_dashboard_provider_loads_files_into_the_SweepRunner_folder()
    {
        var provider = Sequence(Load(RepositoryFiles.Find("deploy/grafana/provisioning/dashboards/sweeprunner.yml")), "providers").Single();

        Assert.Equal("file", Scalar(provider, "type"));
        Assert.Equal("SweepRunner", Scalar(provider, "folder"));
        Assert.StartsWith("/", Scalar(provider, "options", "path"), StringComparison.Ordinal);
    }

    private static IEnumerable<YamlMappingNode> DataSources() =>
        Sequence(Load(RepositoryFiles.Find("deploy/grafana/provisioning/datasources/sweeprunner.yml")), "datasources");

    // Grafana's expansion of an environment variable or a file's content: the value itself is never in the file.
    [GeneratedRegex(@"^\$__(env|file)\{[^}]+\}$")]
    private static partial Regex ExpandedSecret();
}
