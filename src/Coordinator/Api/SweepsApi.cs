using System.Globalization;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Microsoft.AspNetCore.Routing;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// <c>/api/sweeps</c>: submit or check a sweep file, list sweeps, follow one, page and sort its trials, read what its
/// charts draw, cancel, resume or delete it, retry its trials, find its best trial.
/// </summary>
public static class SweepsApi
{
    /// <summary>Sweep files are small; a larger body is refused (413) before it is read.</summary>
    public const long MaxSpecBytes = 1 << 20;

    private const string DefaultFileName = "sweep.yaml";

    private static readonly string[] SpecMediaTypes = ["text/yaml", "application/yaml", "application/x-yaml", "text/x-yaml", "text/plain"];

    public static RouteGroupBuilder MapSweepsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/sweeps").WithTags("Sweeps").WithJsonEntityTags();
        // The body's type is checked by the handler, not declared with Accepts: routing would refuse another type with an
        // empty 415, where the handler says which types it takes.
        group.MapPost("/", SubmitAsync).RequireMutationAccess()
            .AddOpenApiOperationTransformer(DescribeSpecBody)
            .WithSummary("Submit a sweep file (YAML, W&B sweep format); ?file=NAME names it in errors");
        group.MapPost("/validate", ValidateAsync)
            .AddOpenApiOperationTransformer(DescribeSpecBody)
            .WithSummary("Check a sweep file as submit does, storing nothing: the sweep's name, method, metric, goal, trial count (a grid's; null for random and bayes without run_cap) and parameters, or 400 with each error at its line and column");
        group.MapGet("/", ListAsync)
            .WithSummary("The newest sweeps, optionally of some statuses (?status=, ?limit=), each with its trial counts by status, its best trial's metric value, when its first trial started and how long it has run");
        group.MapGet("/resolve/{prefix}", (string prefix, SweepStore sweeps, CancellationToken cancellationToken) => ShortIds.ResolveAsync("sweep", prefix, sweeps.FindIdsAsync, cancellationToken))
            .WithSummary("The sweep whose id starts with PREFIX (a short id); 409 naming the candidates when several do");
        group.MapGet("/{id:guid}", GetAsync).WithSummary("A sweep: trial counts by status, progress, best trial so far");
        group.MapGet("/{id:guid}/spec", SpecAsync).Produces<string>(StatusCodes.Status200OK, SpecMediaTypes[0])
            .WithSummary("The sweep file as submitted (YAML)");
        group.MapGet("/{id:guid}/trials", ListTrialsAsync)
            .WithSummary("A page of a sweep's trials with how many match ?status= (total): sorted by ?sort=COLUMN or config.NAME and ?order=asc|desc (nulls last) from ?offset=, or in number order after ?page= (the previous page's next_page)");
        group.MapGet("/{id:guid}/points", PointsAsync)
            .WithSummary("Every trial with final metrics, in number order, with its config: the rate-distortion plane and the parallel coordinates");
        group.MapGet("/{id:guid}/curves", CurvesAsync)
            .WithSummary("Loss curves (each epoch's test and train total, recon, KL) of the ?top=N best trials (all of a sweep of at most N), then running ones, and of each ?trial=ID; best first");
        group.MapPost("/{id:guid}/cancel", CancelAsync).RequireMutationAccess().WithSummary("Cancel a sweep and its open trials");
        group.MapPost("/{id:guid}/resume", ResumeAsync).RequireMutationAccess()
            .WithSummary("Resume a cancelled sweep where it stopped: its cancelled trials from their last checkpoints, then what the search has left");
        group.MapDelete("/{id:guid}", DeleteAsync).RequireMutationAccess()
            .WithSummary("Delete an ended sweep with its trials, epoch metrics, checkpoints and figures; 409 while it is pending or running");
        group.MapPost("/{id:guid}/retry", RetryAsync).RequireMutationAccess()
            .WithSummary("Queue failed trials again (or those named), resuming from their last checkpoints; a finished sweep runs again");
        group.MapGet("/{id:guid}/best", BestAsync).WithSummary("The best trial by a final metric (default: the sweep's)");
        return group;
    }

    private static Task DescribeSpecBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = SpecMediaTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } }),
        };
        return Task.CompletedTask;
    }

    private static async Task<Results<Created<SweepSnapshot>, BadRequest<SpecErrorList>, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, SweepSubmissions submissions, string? file, CancellationToken cancellationToken)
    {
        var (yaml, problem) = await ReadSpecAsync(request, cancellationToken);
        if (problem is not null) return problem;
        try
        {
            var started = await submissions.SubmitAsync(yaml!, SpecFileName(file), cancellationToken);
            return TypedResults.Created($"/api/sweeps/{started.SweepId}", started);
        }
        catch (SweepSpecException ex)
        {
            return TypedResults.BadRequest(SpecErrors(ex));
        }
    }

    private static async Task<Results<Ok<SpecValidationDocument>, BadRequest<SpecErrorList>, ProblemHttpResult>> ValidateAsync(
        HttpRequest request, string? file, CancellationToken cancellationToken)
    {
        var (yaml, problem) = await ReadSpecAsync(request, cancellationToken);
        if (problem is not null) return problem;
        try
        {
            return TypedResults.Ok(SpecValidationDocument.From(SweepSubmissions.Check(yaml!, SpecFileName(file))));
        }
        catch (SweepSpecException ex)
        {
            return TypedResults.BadRequest(SpecErrors(ex));
        }
    }

    /// <summary>The sweep file in the body, or the problem with the body (its type, its size).</summary>
    private static async Task<(string? Yaml, ProblemHttpResult? Problem)> ReadSpecAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) || !SpecMediaTypes.Contains(mediaType.MediaType, StringComparer.OrdinalIgnoreCase))
            return (null, TypedResults.Problem($"send the sweep file as {string.Join(" or ", SpecMediaTypes)}", statusCode: StatusCodes.Status415UnsupportedMediaType));
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxSpecBytes;
        try
        {
            using var reader = new StreamReader(request.Body);
            return (await reader.ReadToEndAsync(cancellationToken), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel stops reading at the limit, whether the body's length was announced (Content-Length) or not (chunked).
            return (null, TypedResults.Problem(string.Create(CultureInfo.InvariantCulture, $"the sweep file is over the limit of 1 MiB ({MaxSpecBytes:N0} bytes)"), statusCode: StatusCodes.Status413PayloadTooLarge, title: "payload too large"));
        }
    }

    // Only the name is kept: a client's path means nothing here, and error messages should not echo one.
    private static string SpecFileName(string? file) => string.IsNullOrWhiteSpace(file) ? DefaultFileName : Path.GetFileName(file);

    private static SpecErrorList SpecErrors(SweepSpecException ex) =>
        new("the sweep file is not valid", [.. ex.Errors.Select(e => new SpecErrorDocument(e.File, e.Line, e.Column, e.Path, e.Message))]);

    private static async Task<Results<Ok<IReadOnlyList<SweepListItem>>, BadRequest<ProblemDetails>>> ListAsync(
        SweepStore sweeps, TimeProvider clock, string[]? status, int? limit, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryParseStatuses<SweepStatus>(status, out var statuses, out var error)) return ApiProblems.BadRequest(error);
        if (limit is < 1 or > 1000) return ApiProblems.BadRequest("limit: expected 1 to 1000");
        var found = await sweeps.ListAsync(statuses, limit ?? 100, cancellationToken);
        var trials = await sweeps.SummarizeTrialsAsync([.. found.Select(sweep => sweep.Id)], cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok<IReadOnlyList<SweepListItem>>([.. found.Select(sweep => SweepListItem.From(sweep, trials[sweep.Id], now))]);
    }

    private static async Task<Results<Ok<SweepDetail>, NotFound<ProblemDetails>>> GetAsync(
        Guid id, SweepStore sweeps, TrialStore trials, CheckpointStore checkpoints, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var report = await sweeps.GetStatusAsync(id, cancellationToken);
        if (report is null) return ApiProblems.NotFound("sweep", id);
        var sweep = report.Sweep;
        var best = await trials.BestAsync(id, RankingMetric.OfSweep(sweep), sweep.MetricGoal, cancellationToken);
        int ended = report.TrialsByStatus.Where(pair => pair.Key is not (TrialStatus.Pending or TrialStatus.Running)).Sum(pair => pair.Value);
        bool finished = sweep.Status is not (SweepStatus.Pending or SweepStatus.Running);
        return TypedResults.Ok(new SweepDetail(
            SweepSummary.From(sweep),
            report.TrialsByStatus.ToDictionary(pair => pair.Key.LowerName(), pair => pair.Value),
            new SweepProgressCounts(ended, sweep.TrialCount, finished),
            best is null ? null : TrialSummary.From(best),
            await checkpoints.SweepBytesAsync(id, cancellationToken),
            await WaitingAsync(id, trials, grains, cancellationToken)));
    }

    /// <summary>The sweep's pending trials, by required tags, that no worker alive now carries all the tags of.</summary>
    private static async Task<IReadOnlyList<WaitingTrials>> WaitingAsync(Guid id, TrialStore trials, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var pending = await trials.CountPendingByRequiredTagsAsync(id, cancellationToken);
        if (pending.Count == 0) return [];
        var workers = await grains.GetGrain<IWorkerRegistryGrain>(IWorkerRegistryGrain.Key).ListAsync();
        return [.. pending
            .Select(group => new WaitingTrials(WorkerTags.Split(group.Key), group.Value))
            .Where(group => !workers.Any(worker => WorkerTags.Satisfy(WorkerTags.Split(worker.Tags), group.Requires)))
            .OrderBy(group => string.Join(',', group.Requires), StringComparer.Ordinal)];
    }

    private static async Task<Results<ContentHttpResult, NotFound<ProblemDetails>>> SpecAsync(Guid id, SweepStore sweeps, CancellationToken cancellationToken) =>
        await sweeps.GetAsync(id, cancellationToken) is { } sweep
            ? TypedResults.Text(sweep.SpecYaml, $"{SpecMediaTypes[0]}; charset=utf-8")
            : ApiProblems.NotFound("sweep", id);

    private static async Task<Results<Ok<TrialPageDocument>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> ListTrialsAsync(
        Guid id, SweepStore sweeps, TrialStore trials, string[]? status, int? page, string? sort, string? order, int? offset, int? limit, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryParseStatuses<TrialStatus>(status, out var statuses, out var error)) return ApiProblems.BadRequest(error);
        if (page is < 0) return ApiProblems.BadRequest("page: expected 0 (the first page) or a previous page's next_page");
        if (page is not null && (sort is not null || order is not null || offset is not null))
            return ApiProblems.BadRequest("page: pages in number order after a trial; give page, or sort, order and offset, not both");
        if (offset is < 0) return ApiProblems.BadRequest("offset: expected 0 or more");
        if (limit is < 1 or > TrialQuery.MaxLimit) return ApiProblems.BadRequest($"limit: expected 1 to {TrialQuery.MaxLimit}");
        if (!TrialOrder.TryParse(sort, order, out var trialOrder, out error)) return ApiProblems.BadRequest(error);
        if (await sweeps.GetAsync(id, cancellationToken) is null) return ApiProblems.NotFound("sweep", id);

        int pageSize = limit ?? 100;
        if (page is { } after)
        {
            var found = await trials.ListAsync(new TrialQuery(id) { Statuses = statuses, AfterNumber = after, Limit = pageSize }, cancellationToken);
            int total = await trials.CountAsync(id, statuses, cancellationToken);
            return TypedResults.Ok(new TrialPageDocument([.. found.Trials.Select(TrialSummary.From)], found.NextAfterNumber, total, null));
        }

        int start = offset ?? 0;
        var sorted = await TrialTable.PageAsync(trials, id, statuses, trialOrder, start, pageSize, cancellationToken);
        // In number order the page also says where page= would go on, for clients that page that way.
        int? nextPage = trialOrder.IsNumberAscending && start + sorted.Trials.Count < sorted.Total && sorted.Trials.Count > 0 ? sorted.Trials[^1].Number : null;
        return TypedResults.Ok(new TrialPageDocument([.. sorted.Trials.Select(TrialSummary.From)], nextPage, sorted.Total, start));
    }

    private static async Task<Results<Ok<SweepPointsDocument>, NotFound<ProblemDetails>>> PointsAsync(
        Guid id, SweepStore sweeps, TrialStore trials, CancellationToken cancellationToken)
    {
        var sweep = await sweeps.GetAsync(id, cancellationToken);
        if (sweep is null) return ApiProblems.NotFound("sweep", id);
        var finished = await trials.ListWithFinalMetricsAsync(id, cancellationToken);
        return TypedResults.Ok(new SweepPointsDocument(sweep.MetricName, sweep.MetricGoal.LowerName(), [.. finished.Select(TrialPointDocument.From)]));
    }

    private static async Task<Results<Ok<SweepCurvesDocument>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> CurvesAsync(
        Guid id, SweepStore sweeps, TrialStore trials, EpochMetricStore epochs, int? top, Guid[]? trial, CancellationToken cancellationToken)
    {
        if (top is < 1 or > SweepCurves.MaxTop) return ApiProblems.BadRequest($"top: expected 1 to {SweepCurves.MaxTop}");
        Guid[] named = [.. (trial ?? []).Distinct()];
        if (named.Length > SweepCurves.MaxNamed) return ApiProblems.BadRequest($"trial: at most {SweepCurves.MaxNamed} trials, not {named.Length}");
        var sweep = await sweeps.GetAsync(id, cancellationToken);
        if (sweep is null) return ApiProblems.NotFound("sweep", id);
        var (curves, stranger) = await SweepCurves.ReadAsync(sweep, top ?? SweepCurves.DefaultTop, named, trials, epochs, cancellationToken);
        return curves is null ? ApiProblems.BadRequest($"trial: {stranger} is not a trial of sweep {id}") : TypedResults.Ok(curves);
    }

    private static async Task<Results<Ok<SweepSnapshot>, NotFound<ProblemDetails>>> CancelAsync(Guid id, SweepStore sweeps, IGrainFactory grains, CancellationToken cancellationToken)
    {
        // Asked of the store first: activating the grain of a sweep that does not exist would fail inside Orleans.
        if (await sweeps.GetAsync(id, cancellationToken) is null) return ApiProblems.NotFound("sweep", id);
        return TypedResults.Ok(await grains.GetGrain<ISweepGrain>(id).CancelAsync());
    }

    private static async Task<Results<Ok<SweepSnapshot>, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> ResumeAsync(
        Guid id, SweepStore sweeps, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var sweep = await sweeps.GetAsync(id, cancellationToken);
        if (sweep is null) return ApiProblems.NotFound("sweep", id);
        if (ResumeRefusal.For(sweep) is { } refusal) return ApiProblems.Conflict(refusal);
        try
        {
            return TypedResults.Ok(await grains.GetGrain<ISweepGrain>(id).ResumeAsync());
        }
        catch (InvalidOperationException ex)
        {
            // Its status changed since it was read here (resumed or deleted by another caller).
            return ApiProblems.Conflict(ex.Message);
        }
    }

    private static async Task<Results<NoContent, NotFound<ProblemDetails>, Conflict<ProblemDetails>>> DeleteAsync(
        Guid id, SweepStore sweeps, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var sweep = await sweeps.GetAsync(id, cancellationToken);
        if (sweep is null) return ApiProblems.NotFound("sweep", id);
        // Refused here without waking the grain of a running sweep; the store checks again under the sweep's lock.
        if (sweep.Status is SweepStatus.Pending or SweepStatus.Running) return ApiProblems.Conflict($"sweep {id} is {sweep.Status.LowerName()}; cancel it first");
        try
        {
            await grains.GetGrain<ISweepGrain>(id).DeleteAsync();
            return TypedResults.NoContent();
        }
        catch (InvalidOperationException ex)
        {
            return ApiProblems.Conflict(ex.Message);
        }
    }

    private static async Task<Results<Ok<RetryDocument>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>, Conflict<ProblemDetails>>> RetryAsync(
        Guid id, HttpRequest request, TrialRetries retries, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var body = await RetryBodyAsync(request, cancellationToken);
        if (body.Problem is { } problem) return ApiProblems.BadRequest(problem);
        var numbers = body.Request?.Trials;
        RetriedTrials retried;
        try
        {
            retried = await retries.RetryAsync(id, numbers, cancellationToken);
        }
        catch (RecordNotFoundException)
        {
            return ApiProblems.NotFound("sweep", id);
        }
        catch (TrialRetryRefusedException ex)
        {
            return ex.Refusal == TrialRetryRefusal.NoSuchTrial
                ? TypedResults.NotFound(new ProblemDetails { Title = "not found", Status = StatusCodes.Status404NotFound, Detail = ex.Message })
                : TypedResults.Conflict(new ProblemDetails { Title = "nothing to retry", Status = StatusCodes.Status409Conflict, Detail = ex.Message });
        }
        // The store decided; the sweep's grain takes the trials' new state and runs the sweep until they end.
        var sweep = await grains.GetGrain<ISweepGrain>(id).TrialsRequeuedAsync();
        return TypedResults.Ok(new RetryDocument(sweep, [.. retried.Trials.Select(TrialSummary.From)]));
    }

    /// <summary>The retry request in the body (none: the failed trials), or the problem with it.</summary>
    private static async Task<(RetryRequest? Request, string? Problem)> RetryBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && !request.HasJsonContentType())) return (null, null);
        if (!request.HasJsonContentType()) return (null, "send the retry request as application/json: {\"trials\": [numbers]} or {\"failed\": true}");
        RetryRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<RetryRequest>(ApiJson.Options, cancellationToken);
        }
        catch (System.Text.Json.JsonException ex)
        {
            return (null, $"the retry request is not valid JSON: {ex.Message}");
        }
        return body switch
        {
            { Trials: { Count: 0 } } => (null, "trials: name at least one trial number, or leave it out to retry the failed trials"),
            { Trials: { } numbers } when numbers.Any(n => n < 1) => (null, $"trials: {numbers.First(n => n < 1)} is not a trial number; trials are numbered from 1"),
            { Trials: not null, Failed: true } => (null, "give trials or failed: true, not both"),
            { Trials: null, Failed: false } => (null, "failed: false retries nothing; name the trials to retry"),
            _ => (body, null),
        };
    }

    private static async Task<Results<Ok<TrialSummary>, NotFound<ProblemDetails>, BadRequest<ProblemDetails>>> BestAsync(
        Guid id, SweepStore sweeps, TrialStore trials, string? metric, string? goal, CancellationToken cancellationToken)
    {
        var sweep = await sweeps.GetAsync(id, cancellationToken);
        if (sweep is null) return ApiProblems.NotFound("sweep", id);

        string name = metric is null ? sweep.MetricName : MetricNames.Resolve(metric) ?? "";
        if (name.Length == 0) return ApiProblems.BadRequest($"metric: unknown metric {metric}; expected one of {string.Join(", ", MetricNames.Canonical)}");
        var column = metric is null ? RankingMetric.OfSweep(sweep) : RankingMetric.Of(name);
        if (column is not { } ranked) return ApiProblems.BadRequest($"metric: {name} is recorded per epoch only; trials are ranked by a final metric (test.total, test.recon, test.kl, iwae_nll, active_units)");

        // Without a goal: the sweep's own when ranking by its metric, else lower is better (all losses).
        MetricGoal? direction = goal?.ToLowerInvariant() switch
        {
            null => name == sweep.MetricName ? sweep.MetricGoal : MetricGoal.Minimize,
            "minimize" => MetricGoal.Minimize,
            "maximize" => MetricGoal.Maximize,
            _ => null,
        };
        if (direction is null) return ApiProblems.BadRequest($"goal: {goal} is not valid; expected minimize or maximize");

        var best = await trials.BestAsync(id, ranked, direction.Value, cancellationToken);
        return best is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "not found", Status = StatusCodes.Status404NotFound, Detail = $"sweep {id} has no trial with {name} yet" })
            : TypedResults.Ok(TrialSummary.From(best));
    }
}
