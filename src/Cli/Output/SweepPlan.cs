using System.Text;
using System.Text.Json;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Cli.Output;

/// <summary>What <c>sweep validate</c> found: the spec, its notices, and the trials when the method lists them (grid).</summary>
internal sealed record SweepPlan(string File, ParsedSweepSpec Parsed, IReadOnlyList<TrialConfig>? Trials)
{
    public SweepSpec Spec => Parsed.Spec;

    /// <summary>How many trials will run: the grid's, else the run cap (null: no bound).</summary>
    public int? TrialCount => Trials?.Count ?? Spec.RunCap;

    /// <summary>One JSON object, snake_case as the rest of the CLI's JSON; each trial's config is its canonical JSON.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("file", File);
            writer.WriteString("name", Spec.Name);
            writer.WriteString("method", Spec.Method.LowerName());
            WriteMetric(writer);
            writer.WriteString("early_terminate", Spec.EarlyTerminate?.Describe());
            WriteNumberOrNull(writer, "run_cap", Spec.RunCap);
            WriteNumberOrNull(writer, "trial_count", TrialCount);
            writer.WriteStartArray("parameters");
            foreach (var parameter in Spec.Parameters)
            {
                writer.WriteStartObject();
                writer.WriteString("name", parameter.Name);
                writer.WriteString("domain", parameter.Domain.Describe());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            WriteTrials(writer);
            writer.WriteStartArray("notices");
            foreach (var notice in Parsed.Notices) writer.WriteStringValue(notice.ToString());
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number) writer.WriteNumber(name, number);
        else writer.WriteNull(name);
    }

    private void WriteMetric(Utf8JsonWriter writer)
    {
        if (Spec.Metric is not { } metric)
        {
            writer.WriteNull("metric");
            return;
        }

        writer.WriteStartObject("metric");
        writer.WriteString("name", metric.Name);
        writer.WriteString("goal", metric.Goal.LowerName());
        if (metric.Target is { } target) writer.WriteNumber("target", target);
        else writer.WriteNull("target");
        writer.WriteEndObject();
    }

    private void WriteTrials(Utf8JsonWriter writer)
    {
        if (Trials is null)
        {
            writer.WriteNull("trials");
            return;
        }

        writer.WriteStartArray("trials");
        foreach (var trial in Trials)
        {
            writer.WriteStartObject();
            writer.WriteString("hash", trial.Hash);
            writer.WritePropertyName("config");
            writer.WriteRawValue(trial.CanonicalJson);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}
