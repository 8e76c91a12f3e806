using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Coordinator.Api;
using SweepRunner.Plotting;
using SweepRunner.Storage.Figures;

namespace SweepRunner.Cli.Remote;

/// <summary>
/// The coordinator's REST API as the client commands use it. Every failure is a <see cref="CoordinatorException"/>
/// whose exit code says what went wrong: unreachable (4), not found (3), refused input (2), anything else (1).
/// </summary>
internal sealed class CoordinatorClient(HttpClient http) : IDisposable
{
    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>A client of the coordinator at <paramref name="address"/>, sending <paramref name="token"/> as a bearer token when given.</summary>
    public static CoordinatorClient Create(Uri address, string? token)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        if (!string.IsNullOrEmpty(token)) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new CoordinatorClient(http);
    }

    public async Task<SweepSnapshot> SubmitAsync(string yaml, string fileName, CancellationToken cancellationToken)
    {
        using var content = new StringContent(yaml, Encoding.UTF8, "text/yaml");
        using var response = await SendAsync(() => http.PostAsync($"/api/sweeps?file={Uri.EscapeDataString(fileName)}", content, cancellationToken));
        if (response.StatusCode == HttpStatusCode.BadRequest && await TryReadAsync<SpecErrorList>(response, cancellationToken) is { Errors.Count: > 0 } rejected)
            throw new CoordinatorException(ExitCodes.BadInput, [.. rejected.Errors.Select(Describe)]);
        return await ReadAsync<SweepSnapshot>(response, cancellationToken);
    }

    public Task<IReadOnlyList<SweepSummary>> ListSweepsAsync(CancellationToken cancellationToken) => GetAsync<IReadOnlyList<SweepSummary>>("/api/sweeps", cancellationToken);

    /// <summary>
    /// The sweep id <paramref name="idOrPrefix"/> stands for: itself when it is a whole id, else the one id that starts
    /// with it, asked of the coordinator (exit 3 when none does, 2 naming the candidates when several do).
    /// </summary>
    public async Task<Guid> ResolveSweepAsync(string idOrPrefix, CancellationToken cancellationToken) =>
        Guid.TryParse(idOrPrefix, out var id) ? id : (await GetAsync<ResolvedId>($"/api/sweeps/resolve/{Uri.EscapeDataString(idOrPrefix)}", cancellationToken)).Id;

    /// <summary>The trial id <paramref name="idOrPrefix"/> stands for, as <see cref="ResolveSweepAsync"/> resolves a sweep's.</summary>
    public async Task<Guid> ResolveTrialAsync(string idOrPrefix, CancellationToken cancellationToken) =>
        Guid.TryParse(idOrPrefix, out var id) ? id : (await GetAsync<ResolvedId>($"/api/trials/resolve/{Uri.EscapeDataString(idOrPrefix)}", cancellationToken)).Id;

    public Task<SweepDetail> GetSweepAsync(Guid id, CancellationToken cancellationToken) => GetAsync<SweepDetail>($"/api/sweeps/{id}", cancellationToken);

    /// <summary>The sweep file as it was submitted.</summary>
    public async Task<string> GetSpecAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"/api/sweeps/{id}/spec", cancellationToken));
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    /// <summary>Every trial of the sweep, page after page.</summary>
    public async Task<IReadOnlyList<TrialSummary>> ListTrialsAsync(Guid id, CancellationToken cancellationToken)
    {
        var trials = new List<TrialSummary>();
        int? page = 0;
        while (page is { } after)
        {
            var found = await GetAsync<TrialPageDocument>($"/api/sweeps/{id}/trials?page={after}&limit=1000", cancellationToken);
            trials.AddRange(found.Trials);
            page = found.NextPage;
        }
        return trials;
    }

    public Task<TrialDetail> GetTrialAsync(Guid id, CancellationToken cancellationToken) => GetAsync<TrialDetail>($"/api/trials/{id}", cancellationToken);

    public async Task<SweepSnapshot> CancelAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.PostAsync($"/api/sweeps/{id}/cancel", null, cancellationToken));
        return await ReadAsync<SweepSnapshot>(response, cancellationToken);
    }

    /// <summary>Resumes a cancelled sweep; refused (exit 2, the coordinator's reason) for any other.</summary>
    public async Task<SweepSnapshot> ResumeAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.PostAsync($"/api/sweeps/{id}/resume", null, cancellationToken));
        return await ReadAsync<SweepSnapshot>(response, cancellationToken);
    }

    /// <summary>Deletes an ended sweep with everything stored for it; refused (exit 2, the coordinator's reason) while it is pending or running.</summary>
    public async Task DeleteSweepAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.DeleteAsync($"/api/sweeps/{id}", cancellationToken));
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>Queues again the sweep's trials <paramref name="numbers"/>, or its failed trials when null.</summary>
    public async Task<RetryDocument> RetryAsync(Guid id, IReadOnlyList<int>? numbers, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.PostAsJsonAsync($"/api/sweeps/{id}/retry", new RetryRequest(numbers, numbers is null ? true : null), ApiJson.Options, cancellationToken));
        return await ReadAsync<RetryDocument>(response, cancellationToken);
    }

    /// <summary>The trial's log lines, of one attempt when given, after line <paramref name="afterSequence"/> when given.</summary>
    public Task<IReadOnlyList<TrialLogLineDocument>> GetLogsAsync(Guid trialId, int? attempt, long? afterSequence, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (attempt is { } only) query.Add($"attempt={only}");
        if (afterSequence is { } after) query.Add($"after={after}");
        return GetAsync<IReadOnlyList<TrialLogLineDocument>>($"/api/trials/{trialId}/logs" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken);
    }

    public Task<TrialSummary> BestAsync(Guid id, string? metric, string? goal, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (metric is not null) query.Add($"metric={Uri.EscapeDataString(metric)}");
        if (goal is not null) query.Add($"goal={Uri.EscapeDataString(goal)}");
        return GetAsync<TrialSummary>($"/api/sweeps/{id}/best" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken);
    }

    /// <summary>The trial's latest checkpoint; throws (exit 1) when its bytes do not hash to the SHA-256 the server sent.</summary>
    public async Task<byte[]> DownloadCheckpointAsync(Guid trialId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"/api/trials/{trialId}/checkpoint", cancellationToken));
        string? expected = response.Headers.TryGetValues(TrialsApi.Sha256Header, out var values) ? values.FirstOrDefault() : null;
        return await ReadVerifiedAsync(response, expected, $"checkpoint of trial {trialId}", cancellationToken);
    }

    /// <summary>The trial's figures by name, each with the URL it is downloaded from; empty until its worker stored them.</summary>
    public Task<IReadOnlyList<TrialFigureDocument>> ListFiguresAsync(Guid trialId, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<TrialFigureDocument>>($"/api/trials/{trialId}/figures", cancellationToken);

    /// <summary>One figure of the trial (PNG bytes); throws (exit 1) when they do not hash to the SHA-256 of the server's ETag.</summary>
    public async Task<byte[]> DownloadFigureAsync(Guid trialId, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var response = await SendAsync(() => http.GetAsync($"/api/trials/{trialId}/figures/{Uri.EscapeDataString(name)}", cancellationToken));
        return await ReadVerifiedAsync(response, response.Headers.ETag?.Tag.Trim('"'), $"figure {name} of trial {trialId}", cancellationToken);
    }

    /// <summary>
    /// Every figure of the trial, each verified. Callers write them into a folder under their names, so a name that is
    /// not a plain PNG file name (a coordinator's bug, or a hostile one naming <c>../..</c>) is refused before any
    /// download; <paramref name="purpose"/> (an option, a command) starts that error.
    /// </summary>
    public async Task<IReadOnlyList<FigureFile>> DownloadFiguresAsync(Guid trialId, string purpose, CancellationToken cancellationToken)
    {
        var listed = await ListFiguresAsync(trialId, cancellationToken);
        if (listed.FirstOrDefault(figure => !FigureFileName.IsValid(figure.Name)) is { } refused)
            throw new CoordinatorException(ExitCodes.Failure, $"{purpose}: the coordinator names a figure of trial {trialId} {JsonSerializer.Serialize(refused.Name)}, which is not a plain PNG file name; nothing was written");
        var figures = new List<FigureFile>(listed.Count);
        foreach (var figure in listed) figures.Add(new(figure.Name, await DownloadFigureAsync(trialId, figure.Name, cancellationToken)));
        return figures;
    }

    public void Dispose() => http.Dispose();

    private async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync(path, cancellationToken));
        return await ReadAsync<T>(response, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new CoordinatorException(ExitCodes.Unreachable, $"cannot reach the coordinator at {BaseAddress}: {ex.Message}");
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            throw new CoordinatorException(ExitCodes.Unreachable, $"the coordinator at {BaseAddress} did not answer within {http.Timeout.TotalSeconds:F0} s");
        }
    }

    /// <summary>
    /// The body of <paramref name="response"/>; throws (exit 1) naming <paramref name="what"/> when it does not hash to
    /// <paramref name="expectedSha256"/>: a download damaged on the way is never written anywhere.
    /// </summary>
    private static async Task<byte[]> ReadVerifiedAsync(HttpResponseMessage response, string? expectedSha256, string what, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        string actual = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!string.Equals(expectedSha256, actual, StringComparison.OrdinalIgnoreCase))
            throw new CoordinatorException(ExitCodes.Failure, $"{what}: received {bytes.Length} bytes with SHA-256 {actual}, but the coordinator sent {expectedSha256 ?? "no hash"}");
        return bytes;
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
            ?? throw new CoordinatorException(ExitCodes.Failure, $"the coordinator answered {response.RequestMessage?.RequestUri} with an empty body");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        string detail = (await TryReadAsync<ProblemBody>(response, cancellationToken))?.Detail ?? response.ReasonPhrase ?? "no reason given";
        int exitCode = response.StatusCode switch
        {
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            // 409: an ambiguous short id, whose candidates the detail names, or a sweep whose status refuses the request.
            HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.Unauthorized or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.RequestEntityTooLarge => ExitCodes.BadInput,
            _ => ExitCodes.Failure,
        };
        if (response.StatusCode == HttpStatusCode.Unauthorized) detail += " (give the token: --token-file FILE, $SWEEPRUNNER_TOKEN or --token)";
        throw new CoordinatorException(exitCode, $"{(int)response.StatusCode} {response.ReasonPhrase}: {detail}");
    }

    private static async Task<T?> TryReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not the JSON we expected (a proxy's HTML page, an empty body): the status line is all there is to say.
            return null;
        }
    }

    // The parser's own format, FILE:LINE:COLUMN: path: message, as `sweep validate` prints it.
    private static string Describe(SpecErrorDocument error) => new SpecError(error.File, error.Line, error.Column, error.Path, error.Message).ToString();

    /// <summary>The part of an RFC 9457 problem the client prints.</summary>
    private sealed record ProblemBody(string? Title, string? Detail);
}
