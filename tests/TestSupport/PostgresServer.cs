using System.Globalization;

namespace SweepRunner.TestSupport;

/// <summary>
/// A throw-away PostgreSQL server: initdb into a fresh temp folder, started on a free loopback port with trust
/// authentication for user postgres; stopped and deleted on dispose. Run as root, the server runs as the system user
/// postgres (PostgreSQL refuses root); otherwise as the current user.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "postgres";

    private const int StartAttempts = 5;

    private readonly string binaries;
    private readonly string root;
    private readonly string? runAs;
    private readonly bool durable;
    private int databases;

    private PostgresServer(string binaries, string root, string? runAs, bool durable)
    {
        this.binaries = binaries;
        this.root = root;
        this.runAs = runAs;
        this.durable = durable;
    }

    public int Port { get; private set; }

    private string DataDirectory => Path.Combine(root, "data");

    private string LogFile => Path.Combine(root, "server.log");

    /// <summary>
    /// Creates and starts a server. Throws when PostgreSQL is not installed (scripts/setup.sh installs it) or does not
    /// start; a port taken between picking and binding it is retried with another. Unless <paramref name="durable"/>,
    /// commits are not flushed to disk (tests: fast, and nothing to keep); durable is PostgreSQL's default, for benchmarks.
    /// </summary>
    public static async Task<PostgresServer> StartAsync(bool durable = false, CancellationToken cancellationToken = default)
    {
        var binaries = PostgresBinaries.Find();
        var runAs = Environment.IsPrivilegedProcess ? User : null;
        var root = Directory.CreateTempSubdirectory("sweeprunner-pg-").FullName;
        var server = new PostgresServer(binaries, root, runAs, durable);
        try
        {
            if (runAs is not null) await ChildProcess.RunAsync("chown", [runAs, root], cancellationToken: cancellationToken);
            await server.RunAsync("initdb", ["-D", server.DataDirectory, "-U", User, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"], cancellationToken);
            await server.StartOnFreePortAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The connection string of <paramref name="database"/> on this server.</summary>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={User};Database={database}");

    /// <summary>Creates a new, uniquely named database (a copy of <paramref name="template"/> when given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null, CancellationToken cancellationToken = default)
    {
        string name = string.Create(CultureInfo.InvariantCulture, $"test_{Interlocked.Increment(ref databases)}");
        await CreateDatabaseAsync(name, template, cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Creates the database <paramref name="name"/> (a copy of <paramref name="template"/> when given).</summary>
    public Task CreateDatabaseAsync(string name, string? template, CancellationToken cancellationToken = default)
    {
        List<string> arguments = ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", User];
        if (template is not null) arguments.AddRange(["-T", template]);
        arguments.Add(name);
        return ChildProcess.RunAsync(Path.Combine(binaries, "createdb"), arguments, cancellationToken: cancellationToken);
    }

    /// <summary>Stops the server as an administrator would for an upgrade (fast shutdown: clients are disconnected); its data stays.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) =>
        RunAsync("pg_ctl", ["-D", DataDirectory, "stop", "-m", "fast", "-w"], cancellationToken);

    /// <summary>Starts a server stopped with <see cref="StopAsync"/> again, on the same data and port.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) =>
        RunAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", Settings(), "-w", "-t", "60", "start"], cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            await RunAsync("pg_ctl", ["-D", DataDirectory, "stop", "-m", "immediate", "-w"], CancellationToken.None);
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private async Task StartOnFreePortAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            Port = FreePort.Pick();
            if (File.Exists(LogFile)) File.Delete(LogFile);
            try
            {
                await RunAsync("pg_ctl", ["-D", DataDirectory, "-l", LogFile, "-o", Settings(), "-w", "-t", "60", "start"], cancellationToken);
                return;
            }
            catch (ChildProcessException) when (attempt < StartAttempts && PortWasTaken())
            {
                // Another process bound the port between our check and the server's bind: try another one.
            }
            catch (ChildProcessException ex)
            {
                throw new ChildProcessException($"{ex.Message}\nserver log:\n{ReadLog()}");
            }
        }
    }

    private string Settings() =>
        string.Create(CultureInfo.InvariantCulture, $"-c listen_addresses=127.0.0.1 -p {Port} -k {root}")
        + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");

    private bool PortWasTaken() => ReadLog().Contains("Address already in use", StringComparison.Ordinal);

    private string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    private Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        ChildProcess.RunAsync(Path.Combine(binaries, program), arguments, runAs, cancellationToken);
}
