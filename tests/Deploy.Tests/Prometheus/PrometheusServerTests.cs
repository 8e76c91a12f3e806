using System.Diagnostics;
using System.Net.Sockets;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>The throw-away Prometheus of tests/TestSupport: it starts ready, and leaves nothing behind.</summary>
public sealed class PrometheusServerTests
{
    [Fact]
    public async Task A_stopped_server_no_longer_listens_and_leaves_no_process()
    {
        var server = await PrometheusServer.StartAsync(PrometheusConfig.LoadShipped());
        var answer = await server.QueryAsync("vector(42)");
        int port = server.Port;

        await server.DisposeAsync();

        Assert.Equal("42", (string?)answer[0]!["value"]![1]);
        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", port));
        Assert.DoesNotContain(Process.GetProcessesByName("prometheus"), process => CommandLine(process).Contains($"127.0.0.1:{port}", StringComparison.Ordinal));
    }

    private static string CommandLine(Process process)
    {
        try
        {
            return File.ReadAllText($"/proc/{process.Id}/cmdline");
        }
        catch (IOException)
        {
            return ""; // Exited meanwhile.
        }
    }
}
