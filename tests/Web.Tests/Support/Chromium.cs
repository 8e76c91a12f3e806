using Microsoft.Playwright;

namespace SweepRunner.Web.Tests.Support;

/// <summary>
/// Debian's chromium driven by Playwright's bundled driver (it brings its own node): no browser of Playwright's own
/// is ever downloaded, so the tests run offline.
/// </summary>
public static class Chromium
{
    /// <summary>The chromium executable on PATH; a clear failure when it is not installed.</summary>
    public static string Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, "chromium"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("chromium is not on PATH: scripts/setup.sh installs it (apt package chromium)");

    /// <summary>Starts a headless chromium (no sandbox: the tests may run as root).</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Find(),
            Headless = true,
            Args = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-dev-shm-usage"],
        });
}
