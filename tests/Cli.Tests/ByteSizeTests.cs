using SweepRunner.Cli.Output;

namespace SweepRunner.Cli.Tests;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData(0, "0 B")]
    [InlineData(999, "999 B")]
    [InlineData(1000, "1.0 kB")]
    [InlineData(21_400_000, "21.4 MB")]
    [InlineData(999_960, "1.0 MB")]
    [InlineData(3_260_000_000, "3.3 GB")]
    [InlineData(5_000_000_000_000_000, "5000.0 TB")]
    public void Bytes_read_in_decimal_units_with_one_decimal(long bytes, string expected)
    {
        Assert.Equal(expected, ByteSize.Format(bytes));
    }
}
