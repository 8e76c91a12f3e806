using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Storage;

namespace SweepRunner.Cli.Tests.BadInputs;

/// <summary>
/// What a sweep store holds, compared before and after a bad input: the rows of every table of the model (tables added
/// later are counted without changes here), and each sweep's and trial's status and attempt.
/// </summary>
internal sealed record StoreSnapshot(string Tables, string Sweeps, string Trials)
{
    private static readonly System.Reflection.MethodInfo CountRows = typeof(StoreSnapshot).GetMethod(nameof(CountAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    public static async Task<StoreSnapshot> TakeAsync(IServiceProvider services)
    {
        await using var db = await services.GetRequiredService<IDbContextFactory<SweepDbContext>>().CreateDbContextAsync();
        var tables = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes().Where(entity => !entity.IsOwned()).OrderBy(entity => entity.GetTableName(), StringComparer.Ordinal))
            tables.Add($"{entity.GetTableName()}={await (Task<int>)CountRows.MakeGenericMethod(entity.ClrType).Invoke(null, [db])!}");
        var sweeps = await db.Sweeps.OrderBy(sweep => sweep.Id).Select(sweep => new { sweep.Id, sweep.Status }).ToListAsync();
        var trials = await db.Trials.OrderBy(trial => trial.Id).Select(trial => new { trial.Id, trial.Status, trial.Attempt }).ToListAsync();
        return new StoreSnapshot(
            string.Join(", ", tables),
            string.Join(", ", sweeps.Select(sweep => $"{sweep.Id}:{sweep.Status}")),
            string.Join(", ", trials.Select(trial => $"{trial.Id}:{trial.Status}:{trial.Attempt}")));
    }

    private static Task<int> CountAsync<TEntity>(SweepDbContext db)
        where TEntity : class => db.Set<TEntity>().CountAsync();
}
