using System.Net;
using SweepRunner.Coordinator.Api;

namespace SweepRunner.Coordinator.Tests.Api;

public sealed class MutationAccessTests
{
    private const string Grid = "method: grid\nparameters:\n  beta:\n    value: 1\n";

    [Fact]
    public async Task On_an_address_other_hosts_reach_a_post_needs_the_bearer_token_and_a_get_does_not()
    {
        await using var server = await ApiServer.StartAsync("http://0.0.0.0:0", token: "s3cret-token");

        using var anonymous = await server.SubmitAsync(Grid);
        using var wrong = await server.SubmitAsync(Grid, token: "s3cret-tokem");
        using var right = await server.SubmitAsync(Grid, token: "s3cret-token");
        using var read = await server.Client.GetAsync("/api/sweeps");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Bearer", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task The_server_refuses_to_listen_beyond_loopback_without_a_token()
    {
        var ex = await Assert.ThrowsAsync<ApiConfigurationException>(() => ApiServer.StartAsync("http://0.0.0.0:0"));

        Assert.Contains("Api:Token", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080", true)]
    [InlineData("http://localhost:5080", true)]
    [InlineData("http://[::1]:5080", true)]
    [InlineData("http://0.0.0.0:5080", false)]
    [InlineData("http://*:5080", false)]
    [InlineData("http://+:5080", false)]
    [InlineData("http://10.1.2.3:5080", false)]
    public void Loopback_addresses_are_told_from_the_others(string url, bool loopback) => Assert.Equal(loopback, MutationAccess.IsLoopback(url));

    [Fact]
    public void On_loopback_only_a_call_without_a_token_is_allowed()
    {
        Assert.True(MutationAccess.For(["http://127.0.0.1:5080"], token: null).Allows(null));
        var exposed = MutationAccess.For(["http://127.0.0.1:5080", "http://0.0.0.0:5081"], "t");
        Assert.False(exposed.Allows(null));
        Assert.False(exposed.Allows("Basic t"));
        Assert.True(exposed.Allows("Bearer t"));
    }
}
