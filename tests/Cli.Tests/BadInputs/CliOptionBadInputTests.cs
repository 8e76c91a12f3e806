namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// Command-line options the <c>sweep</c> commands refuse: the exit code, an "error: " line naming the option, and no
/// store or output created (local commands) or the coordinator's store as it was (client commands). Rows of the
/// bad-input catalogue (docs/reliability.md). <c>{store}</c> in an argument is a store path that must not appear,
/// <c>{coordinator}</c> the fixture's URL.
/// </summary>
public sealed class CliOptionBadInputTests(CatalogueCoordinator coordinator) : IClassFixture<CatalogueCoordinator>, IDisposable
{
    private readonly TempDirectory temp = new();

    public static TheoryData<string, int, string> LocalCommands => new()
    {
        { "worker --slots 0 --postgres Host=127.0.0.1;Database=sweeps", ExitCodes.BadInput, "--slots: 0 is not valid; expected an integer >= 1" },
        { "worker --metrics-port abc --postgres Host=127.0.0.1;Database=sweeps", ExitCodes.BadInput, "--metrics-port: expected a port 0-65535 (0: any free port) or off, got 'abc'" },
        { "worker --postgres {store}", ExitCodes.BadInput, "a worker needs the coordinator's PostgreSQL (Host=…;Database=…), not the SQLite database" },
        { "worker --tag GPU --postgres Host=127.0.0.1;Database=sweeps", ExitCodes.BadInput, "--tag: `GPU` is not a tag; expected a lower-case tag" },
        { "coordinator --urls notaurl --postgres {store}", ExitCodes.BadInput, "notaurl is not a URL the API can listen on" },
        { "coordinator --urls http://0.0.0.0:5080 --postgres {store}", ExitCodes.BadInput, "the API would listen on http://0.0.0.0:5080, which other hosts can reach; set a token" },
        { "run {example} --threads 0 --db {store}", ExitCodes.BadInput, "--threads: 0 is not valid; expected an integer 1-1024" },
        { "run {absent} --db {store}", ExitCodes.BadInput, "absent.yaml: file not found" },
        { "run {example} --device tpu --db {store}", ExitCodes.BadInput, "--device" },
        { "run {needs-gpu} --db {store}", ExitCodes.BadInput, "the sweep requires workers tagged gpu, and sweep run's slots are tagged cpu (from --device cpu)" },
    };

    public static TheoryData<string, int, string> ClientCommands => new()
    {
        { "--coordinator ftp://x status", ExitCodes.BadInput, "--coordinator: ftp://x is not valid; expected an http:// or https:// URL" },
        { "--coordinator {coordinator} status zzzz", ExitCodes.BadInput, "ID: zzzz is not a sweep id or its start (hex digits, such as 3f9c2a7e)" },
        { "--coordinator {coordinator} status 0000", ExitCodes.NotFound, "404 Not Found: no sweep id starts with 0000" },
        { "--coordinator {coordinator} cancel 00000000", ExitCodes.NotFound, "404 Not Found: no sweep id starts with 00000000" },
        { "--coordinator {coordinator} best {sweep} --metric foo", ExitCodes.BadInput, "400 Bad Request: metric: unknown metric foo" },
    };

    [Theory]
    [MemberData(nameof(LocalCommands))]
    public async Task A_bad_option_of_a_local_command_exits_with_a_message_and_creates_no_store(string arguments, int exitCode, string expected)
    {
        string store = temp.File("store.db");

        var result = await Sweep.RunAsync(Arguments(arguments, store));

        AssertRefused(result, exitCode, expected);
        Assert.False(File.Exists(store), $"{store} was created");
    }

    [Theory]
    [MemberData(nameof(ClientCommands))]
    public async Task A_bad_option_of_a_client_command_exits_with_a_message_and_nothing_is_stored(string arguments, int exitCode, string expected)
    {
        var before = await StoreSnapshot.TakeAsync(coordinator.Services);

        var result = await Sweep.RunAsync(Arguments(arguments, temp.File("store.db")));

        AssertRefused(result, exitCode, expected);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(coordinator.Services));
    }

    public void Dispose() => temp.Dispose();

    private string[] Arguments(string arguments, string store) =>
    [
        .. arguments.Split(' ').Select(argument => argument
            .Replace("{store}", store, StringComparison.Ordinal)
            .Replace("{coordinator}", coordinator.Url, StringComparison.Ordinal)
            .Replace("{sweep}", coordinator.SweepId.ToString("N")[..8], StringComparison.Ordinal)
            .Replace("{example}", Examples.Find("quick.yaml"), StringComparison.Ordinal)
            .Replace("{absent}", temp.File("absent.yaml"), StringComparison.Ordinal)
            .Replace("{needs-gpu}", NeedsGpu(), StringComparison.Ordinal)),
    ];

    /// <summary>A sweep file whose cnn trials require a gpu worker.</summary>
    private string NeedsGpu()
    {
        string path = temp.File("needs-gpu.yaml");
        File.WriteAllText(path, "name: x\nmethod: grid\nepochs: 1\nparameters:\n  model:\n    values: [mlp, cnn]\n    requires: {cnn: gpu}\n");
        return path;
    }

    private static void AssertRefused(CommandResult result, int exitCode, string expected)
    {
        Assert.Equal(exitCode, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }
}
