using System.Diagnostics;

namespace SweepRunner.Cli.Tests;

/// <summary>Debian's Chromium (installed by scripts/setup.sh), headless, taking a screenshot of a local page.</summary>
public static class HeadlessChromium
{
    public const string Executable = "/usr/bin/chromium";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>Opens <paramref name="page"/> in a <paramref name="width"/> × <paramref name="height"/> window and returns the screenshot's PNG.</summary>
    public static async Task<byte[]> ScreenshotAsync(string page, int width, int height)
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: scripts/setup.sh installs it (apt package chromium)");
        var profile = Directory.CreateTempSubdirectory("sweeprunner-chromium-");
        string screenshot = Path.Combine(profile.FullName, "screenshot.png");
        try
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            // No sandbox: tests may run as root, where Chromium refuses it. No background networking: the machine may
            // have no network, and the page is local.
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile.FullName}",
                $"--window-size={width},{height}", $"--screenshot={screenshot}", new Uri(Path.GetFullPath(page)).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(argument);
            }
            using var chromium = Process.Start(start)!;
            var output = chromium.StandardOutput.ReadToEndAsync();
            var error = chromium.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await chromium.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                chromium.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish the screenshot of {page} within {Timeout.TotalSeconds} s");
            }
            Assert.True(File.Exists(screenshot), $"Chromium exited {chromium.ExitCode} without a screenshot: {await output}{await error}");
            return await File.ReadAllBytesAsync(screenshot);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }
}
