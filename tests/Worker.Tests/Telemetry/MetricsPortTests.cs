using SweepRunner.Worker.Telemetry;

namespace SweepRunner.Worker.Tests.Telemetry;

public sealed class MetricsPortTests
{
    [Theory]
    [InlineData("9464", 9464)]
    [InlineData("0", 0)]
    [InlineData("65535", 65535)]
    [InlineData("off", null)]
    [InlineData(" OFF ", null)]
    public void A_port_zero_or_off_is_taken(string text, int? expected) => Assert.Equal(expected, MetricsPort.Parse(text));

    [Theory]
    [InlineData("65536")]
    [InlineData("-1")]
    [InlineData("9464x")]
    [InlineData("")]
    public void Anything_else_is_refused_saying_what_was_given(string text)
    {
        var error = Assert.Throws<FormatException>(() => MetricsPort.Parse(text));

        Assert.Equal($"expected a port 0-65535 (0: any free port) or off, got '{text}'", error.Message);
        Assert.False(MetricsPort.IsValid(text));
    }
}
