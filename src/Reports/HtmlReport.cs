using System.Globalization;
using System.Net;
using System.Text;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Reports;

/// <summary>
/// The report's page: plain HTML5 with its style inline and its images as files beside it, so that the folder
/// opens in any browser, offline, and can be zipped or pasted from as it is — or, for a page served on its own (the
/// dashboard's report link), inside it as data URIs. Every text from the sweep (names, spec, failure reasons) is
/// HTML-encoded.
/// </summary>
/// <param name="imageSource">An image's <c>src</c>: its path beside the page, or the image itself as a data URI.</param>
internal sealed class HtmlReport(SweepReportData data, IReadOnlyList<TrialView> ranked, SweptKeys keys, IReadOnlyList<SeedGroup> seedGroups, ReportImages images, Func<ReportImage, string> imageSource)
{
    private const string Style = """
        body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 2em auto; max-width: 1480px; padding: 0 1em; color: #222; }
        h1 { margin-bottom: 0.2em; }
        .meta { color: #555; margin-top: 0; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 0.92em; }
        th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.6em; text-align: right; white-space: nowrap; }
        th { background: #f3f3f3; position: sticky; top: 0; }
        td.text, th.text { text-align: left; }
        tr.best td { background: #fff5cc; font-weight: bold; }
        tr.failed td { color: #a00; }
        img { max-width: 100%; height: auto; border: 1px solid #eee; }
        .figures img { margin: 0 1em 1em 0; vertical-align: top; }
        pre { background: #f7f7f7; padding: 1em; overflow-x: auto; }
        """;

    private readonly StringBuilder html = new();

    public string Render()
    {
        var sweep = data.Sweep;
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append(CultureInfo.InvariantCulture, $"<title>{Encode(sweep.Name)}: sweep report</title>\n<style>\n{Style}</style>\n</head>\n<body>\n");
        Header();
        TrialTable();
        Charts();
        SeedTable();
        BestTrial();
        html.Append("<section id=\"spec\">\n<h2>Sweep spec</h2>\n<pre>").Append(Encode(sweep.SpecYaml)).Append("</pre>\n</section>\n");
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private void Header()
    {
        var sweep = data.Sweep;
        var counts = data.Trials.GroupBy(t => t.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        html.Append(CultureInfo.InvariantCulture, $"<header>\n<h1>Sweep {Encode(sweep.Name)}</h1>\n<p class=\"meta\">{sweep.Id} · {Encode(sweep.Status)} · ");
        html.Append(CultureInfo.InvariantCulture, $"{Encode(sweep.Method)} search · metric {Encode(sweep.Metric)} ({Encode(sweep.Goal)}) · ");
        html.Append(CultureInfo.InvariantCulture, $"created {Time(sweep.CreatedAt)}{(sweep.FinishedAt is { } finished ? $", finished {Time(finished)}" : "")} UTC · ");
        html.Append(CultureInfo.InvariantCulture, $"{data.Trials.Count} trials ({Encode(string.Join(", ", counts))})</p>\n");
        if (Best is { } best)
        {
            html.Append(CultureInfo.InvariantCulture,
                $"<p>Best trial by {Encode(sweep.Metric)}: <a href=\"#best\">#{best.Trial.Number}</a> ({Encode(keys.Describe(best.Config))}), {Encode(sweep.Metric)} {Number(best.MetricValue)}.</p>\n");
        }
        html.Append("</header>\n");
    }

    private void TrialTable()
    {
        html.Append("<section id=\"trials\">\n<h2>Trials</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p>Sorted by {Encode(data.Sweep.Metric)}, {(Maximize ? "highest" : "lowest")} first; trials without it last.");
        if (keys.Fixed.Count > 0) html.Append(" Same in every trial: ").Append(Encode(string.Join(", ", keys.Fixed.Select(pair => $"{pair.Key}={pair.Value}")))).Append('.');
        if (MixesLossScales)
            html.Append(" The trials use both reconstruction losses, whose values are on different scales (784 × mean BCE or MSE): rank within one loss, or compare by IWAE NLL, which is the same Bernoulli likelihood for all.");
        html.Append("</p>\n<table id=\"trial-table\">\n<thead><tr><th>rank</th><th>trial</th>");
        foreach (var key in keys.Swept) html.Append("<th class=\"text\">").Append(Encode(key)).Append("</th>");
        html.Append("<th class=\"text\">status</th><th>test total</th><th>test recon</th><th>test KL</th><th>active units</th><th>IWAE NLL</th><th>epochs</th><th>duration</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < ranked.Count; i++)
        {
            var view = ranked[i];
            var trial = view.Trial;
            string rowClass = trial.Number == data.BestTrialNumber ? " class=\"best\"" : trial.Status == "failed" ? " class=\"failed\"" : "";
            html.Append(CultureInfo.InvariantCulture, $"<tr data-trial=\"{trial.Number}\"{rowClass}><td>{(view.MetricValue is null ? "" : i + 1)}</td><td>#{trial.Number}</td>");
            foreach (var key in keys.Swept)
                html.Append("<td class=\"text\">").Append(view.Config.TryGetValue(key, out var value) ? Encode(value.ToString()) : "").Append("</td>");
            string reason = trial.FailureReason is { } failure ? $" title=\"{Encode(failure)}\"" : "";
            string status = trial.FailureClass is { } failureClass ? $"{trial.Status} ({failureClass})" : trial.Status;
            html.Append(CultureInfo.InvariantCulture, $"<td class=\"text\"{reason}>{Encode(status)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{Number(trial.TestTotal)}</td><td>{Number(trial.TestRecon)}</td><td>{Number(trial.TestKl)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{trial.ActiveUnits}</td><td>{Number(trial.IwaeNll)}</td><td>{trial.Epochs.Count}</td><td>{Duration(view.Duration)}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private void Charts()
    {
        if (images.TestLossCurves is { } curves)
        {
            html.Append("<section id=\"loss-curves\">\n<h2>Test loss curves</h2>\n<p>Every trial's test losses after each epoch, coloured by β.</p>\n");
            Image(curves, "Test total, reconstruction and KL per epoch of every trial, coloured by beta");
            html.Append("</section>\n");
        }
        if (images.RateDistortion is { } plane)
        {
            html.Append("<section id=\"rate-distortion\">\n<h2>Rate–distortion plane</h2>\n");
            html.Append("<p>One point per trial: final test KL (rate) against reconstruction loss (distortion); colour is β, the marker's shape the model ");
            html.Append("and its fill the loss (filled BCE, open MSE). ");
            html.Append("BCE and MSE reconstruction losses are in different units: compare within one marker.</p>\n");
            Image(plane, "Final test KL against reconstruction loss, one point per trial");
            html.Append("</section>\n");
        }
    }

    private void SeedTable()
    {
        html.Append("<section id=\"seeds\">\n<h2>Mean ± sd over seeds</h2>\n");
        if (seedGroups.Count == 0)
        {
            html.Append("<p>No config was repeated with different seeds (or none of its trials finished).</p>\n</section>\n");
            return;
        }
        html.Append("<p>Configs trained with two or more seeds: mean ± sample standard deviation of the final test metrics.</p>\n");
        html.Append("<table id=\"seed-table\">\n<thead><tr><th class=\"text\">config</th><th>seeds</th><th>test total</th><th>test recon</th><th>test KL</th><th>IWAE NLL</th></tr></thead>\n<tbody>\n");
        foreach (var group in seedGroups)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"text\">{Encode(keys.Describe(group.First.Config, TrainerParameterNames.Seed))}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{group.Trials.Count}</td><td>{Spread(group.Total)}</td><td>{Spread(group.Recon)}</td><td>{Spread(group.Kl)}</td>");
            html.Append(CultureInfo.InvariantCulture, $"<td>{(group.IwaeNll is { } iwae ? Spread(iwae) : "")}</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        if (images.SeedSpread is { } chart) Image(chart, "Mean final test loss with one standard deviation over seeds, against beta");
        html.Append("</section>\n");
    }

    private void BestTrial()
    {
        html.Append("<section id=\"best\">\n");
        if (Best is not { } best)
        {
            html.Append("<h2>Best trial</h2>\n<p>No trial has the sweep's metric yet.</p>\n</section>\n");
            return;
        }
        html.Append(CultureInfo.InvariantCulture, $"<h2>Best trial: #{best.Trial.Number}</h2>\n<p>{Encode(keys.Describe(best.Config))} · trial {best.Trial.Id}</p>\n");
        if (images.BestFigures.Count == 0) html.Append("<p>The trial has no stored figures.</p>\n");
        html.Append("<div class=\"figures\">\n");
        foreach (var figure in images.BestFigures) Image(figure, $"Best trial's {Path.GetFileNameWithoutExtension(figure.RelativePath).Replace('-', ' ')}");
        html.Append("</div>\n</section>\n");
    }

    private TrialView? Best => data.BestTrialNumber is { } number ? ranked.FirstOrDefault(t => t.Trial.Number == number) : null;

    /// <summary>Whether the ranking compares BCE with MSE trials by a loss measured on each one's own scale.</summary>
    private bool MixesLossScales =>
        ranked.Select(t => t.Loss).Distinct(StringComparer.Ordinal).Count() > 1
        && MetricNames.Resolve(data.Sweep.Metric) is MetricNames.TestTotal or MetricNames.TestRecon or MetricNames.TrainTotal or MetricNames.TrainRecon;

    private bool Maximize => string.Equals(data.Sweep.Goal, "maximize", StringComparison.OrdinalIgnoreCase);

    private void Image(ReportImage image, string alt) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<img src=\"{Encode(imageSource(image))}\" width=\"{image.Width}\" height=\"{image.Height}\" alt=\"{Encode(alt)}\">\n");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Number(double? value) => value is { } v ? v.ToString("F2", CultureInfo.InvariantCulture) : "";

    private static string Spread(Spread spread) =>
        string.Create(CultureInfo.InvariantCulture, $"{spread.Mean:F2} ± {spread.StandardDeviation:F2}");

    private static string Time(DateTime time) => time.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan? duration) => duration switch
    {
        null => "",
        { TotalMinutes: >= 1 } d => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes} min {d.Seconds:D2} s"),
        { } d => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:F1} s"),
    };
}
