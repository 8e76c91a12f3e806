using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Figures;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Api;

/// <summary><c>/api/trials</c>: one trial with its epochs, its latest checkpoint, its figures, and its log; JSON reads with ETags.</summary>
public static class TrialsApi
{
    /// <summary>The checkpoint's SHA-256 (lower-case hex), also its ETag: clients verify the bytes they received against it.</summary>
    public const string Sha256Header = "X-Checkpoint-Sha256";

    public const string EpochHeader = "X-Checkpoint-Epoch";

    public static RouteGroupBuilder MapTrialsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/trials").WithTags("Trials").WithJsonEntityTags();
        group.MapGet("/resolve/{prefix}", (string prefix, TrialStore trials, CancellationToken cancellationToken) => ShortIds.ResolveAsync("trial", prefix, trials.FindIdsAsync, cancellationToken))
            .WithSummary("The trial whose id starts with PREFIX (a short id); 409 naming the candidates when several do");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A trial: config, status, final metrics, per-epoch metrics, and its latest checkpoint's epoch, SHA-256, size and URL (null while it has none)");
        group.MapGet("/{id:guid}/checkpoint", CheckpointAsync).WithSummary("The trial's latest checkpoint (TorchSharp format), verified against its stored SHA-256");
        group.MapGet("/{id:guid}/figures", ListFiguresAsync).WithSummary("The trial's figures (PNG), stored by the worker when the trial ended; empty until then");
        group.MapGet("/{id:guid}/logs", LogsAsync).WithSummary("The trial's log lines in order, of every attempt or of ?attempt=N; ?after=SEQ for the lines after one seen (following the log)");
        group.MapGet("/{id:guid}/figures/{name}", FigureAsync).WithSummary("One figure of the trial (PNG), verified against its stored SHA-256, its ETag");
        return group;
    }

    private static async Task<Results<Ok<TrialDetail>, NotFound<ProblemDetails>>> GetAsync(
        Guid id, TrialStore trials, EpochMetricStore epochs, CheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        var trial = await trials.GetAsync(id, cancellationToken);
        if (trial is null) return ApiProblems.NotFound("trial", id);
        var rows = await epochs.ListAsync(id, cancellationToken);
        // The checkpoint's metadata only: its bytes stay in the database until it is downloaded.
        var checkpoint = await checkpoints.GetLatestInfoAsync(id, cancellationToken);
        return TypedResults.Ok(new TrialDetail(TrialSummary.From(trial), [.. rows.Select(EpochDocument.From)], checkpoint is null ? null : CheckpointDocument.From(id, checkpoint)));
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> CheckpointAsync(
        Guid id, HttpResponse response, CheckpointStore checkpoints, CancellationToken cancellationToken)
    {
        // The store recomputes the hash on read: damaged bytes are an error (500), never served.
        var checkpoint = await checkpoints.GetAsync(id, cancellationToken: cancellationToken);
        if (checkpoint is null) return ApiProblems.NotFound("checkpoint of trial", id);
        response.Headers[Sha256Header] = checkpoint.Sha256;
        response.Headers[EpochHeader] = checkpoint.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.File(checkpoint.Bytes, "application/octet-stream", "checkpoint", entityTag: EntityTag(checkpoint.Sha256));
    }

    private static async Task<Results<Ok<IReadOnlyList<TrialFigureDocument>>, NotFound<ProblemDetails>>> ListFiguresAsync(
        Guid id, TrialStore trials, TrialFigureStore figures, CancellationToken cancellationToken)
    {
        if (await trials.GetAsync(id, cancellationToken) is null) return ApiProblems.NotFound("trial", id);
        var stored = await figures.ListAsync(id, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<TrialFigureDocument>>([.. stored.Select(figure => TrialFigureDocument.From(id, figure))]);
    }

    private static async Task<Results<Ok<IReadOnlyList<TrialLogLineDocument>>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> LogsAsync(
        Guid id, TrialStore trials, TrialLogStore logs, int? attempt, long? after, CancellationToken cancellationToken)
    {
        if (attempt is < 1) return ApiProblems.BadRequest("attempt: expected 1 or more");
        if (after is < 0) return ApiProblems.BadRequest("after: expected the sequence of a line already read (0 or more)");
        if (await trials.GetAsync(id, cancellationToken) is null) return ApiProblems.NotFound("trial", id);
        var lines = await logs.ListAsync(id, attempt, after, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<TrialLogLineDocument>>([.. lines.Select(TrialLogLineDocument.From)]);
    }

    private static async Task<Results<FileContentHttpResult, NotFound<ProblemDetails>>> FigureAsync(
        Guid id, string name, TrialFigureStore figures, CancellationToken cancellationToken)
    {
        // Verified on read like checkpoints: damaged bytes are an error (500), never served.
        var figure = await figures.GetAsync(id, name, cancellationToken);
        if (figure is null) return ApiProblems.NotFound($"figure {name} of trial", id);
        return TypedResults.File(figure.Png, "image/png", entityTag: EntityTag(figure.Sha256));
    }

    /// <summary>A strong ETag of the bytes' SHA-256: a client that has them sends it back in If-None-Match and gets 304.</summary>
    private static EntityTagHeaderValue EntityTag(string sha256) => new($"\"{sha256}\"");
}
