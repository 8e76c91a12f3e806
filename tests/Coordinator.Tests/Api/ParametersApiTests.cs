using System.Text.Json.Nodes;
using SweepRunner.Contracts.Parameters;

namespace SweepRunner.Coordinator.Tests.Api;

public sealed class ParametersApiTests
{
    [Fact]
    public async Task Every_parameter_a_sweep_may_set_is_listed_from_its_schema()
    {
        await using var server = await ApiServer.StartAsync();

        var listed = JsonNode.Parse(await server.Client.GetStringAsync("/api/parameters"))!.AsArray();

        Assert.Equal(TrainerParameters.Known.Select(p => p.Name), listed.Select(p => (string)p!["name"]!));
        var beta = listed.Single(p => (string)p!["name"]! == "beta")!;
        Assert.Equal(("real", "a number > 0", 1.0), ((string?)beta["type"], (string?)beta["accepted"], (double)beta["default"]!));
        Assert.Equal(TrainerParameters.Beta.Help, (string?)beta["help"]);
        var model = listed.Single(p => (string)p!["name"]! == "model")!;
        Assert.Equal(["mlp", "cnn", "cvae"], model["choices"]!.AsArray().Select(choice => (string)choice!));
        var latent = listed.Single(p => (string)p!["name"]! == "latent_dim")!;
        Assert.Equal(("integer", 1L, 2L), ((string?)latent["type"], (long)latent["min"]!, (long)latent["default"]!));
        var optimizer = listed.Single(p => (string)p!["name"]! == "optimizer")!;
        Assert.Null(optimizer["default"]);
        Assert.Contains("adam for mlp", (string)optimizer["default_note"]!, StringComparison.Ordinal);
        var paths = JsonNode.Parse(await server.Client.GetStringAsync("/openapi/v1.json"))!["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/api/parameters"));
    }
}
