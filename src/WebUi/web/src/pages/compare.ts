// The compare page (#/compare?trials=A,B,…): the trials' loss curves overlaid, their configs and final metrics in
// columns (rows where they differ marked), and their figures side by side, a row per figure name.
import { api, type TrialDetail, type TrialFigure } from "../api";
import { Chart, markChart } from "../charts/chart";
import { curveControls, type CurveView } from "../charts/curveControls";
import { lossChartOption } from "../charts/lossChart";
import { errorBox, h, replace } from "../dom";
import { type Disposable, poll } from "../live";
import { links, type Route } from "../router";
import { alignFigures, compareRows } from "../shaping/compare";
import { sweptKeys, trialLabel } from "../shaping/config";
import { curveSeries } from "../shaping/curves";

/** Running trials' curves move; finished ones answer 304. */
const refreshMs = 5000;

function figureCell(trialId: string, figure: TrialFigure | null, alt: string): HTMLTableCellElement {
  const content = figure ? h("img", { class: "figure", src: figure.url, alt, "data-figure": figure.name, loading: "lazy" }) : h("span", { class: "muted" }, "–");
  return h("td", { "data-trial-id": trialId }, content);
}

export function render(main: HTMLElement, route: Route): Disposable {
  const ids = [...new Set((route.params.get("trials") ?? "").split(",").map((s) => s.trim()).filter(Boolean))];
  main.append(h("h1", {}, `Comparing ${ids.length} trial${ids.length === 1 ? "" : "s"}`));
  if (ids.length === 0) {
    main.append(h("p", {}, "No trials named. Tick trials in a sweep's table, then Compare selected."));
    main.dataset.loaded = "true";
    return { dispose() {} };
  }

  const errors = h("div", { "aria-live": "polite" });
  const chartElement = h("div", { class: "chart", "data-testid": "compare-chart", role: "img", "aria-label": "Loss curves of the compared trials" });
  const table = h("div", { class: "table-scroll" });
  const figures = h("div", { class: "table-scroll", "data-testid": "compare-figures" });
  const chart = new Chart(chartElement);
  const details = new Map<string, TrialDetail>();
  let view: CurveView = { term: "total", split: "test", log: false };
  let figuresLoaded = false;

  const ordered = () => ids.map((id) => details.get(id)).filter((d): d is TrialDetail => d !== undefined);
  const labels = () => {
    const trials = ordered().map((d) => d.trial);
    const keys = sweptKeys(trials.map((t) => t.config));
    return new Map(trials.map((t) => [t.id, trialLabel(t.number, t.config, keys)]));
  };

  const draw = () => {
    const shown = ordered();
    const sources = shown.map((d) => ({ id: d.trial.id, number: d.trial.number, config: d.trial.config, epochs: d.epochs }));
    const series = curveSeries(sources, view.term, view.split, view.log);
    chart.setOption(lossChartOption(series, view.term, view.split, view.log));
    markChart(chartElement, { seriesCount: series.length });
    const names = labels();
    const trials = shown.map((d) => d.trial);
    replace(
      table,
      h(
        "table",
        { class: "compare", "data-testid": "compare-table" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, ""), ...trials.map((t) => h("th", { scope: "col" }, h("a", { href: links.trial(t.id) }, names.get(t.id) ?? `#${t.number}`))))),
        h("tbody", {}, ...compareRows(trials).map((row) => h("tr", { class: row.differs ? "differs" : undefined }, h("th", { scope: "row" }, row.label), ...row.cells.map((c) => h("td", {}, c))))),
      ),
    );
    if (shown.length === ids.length) main.dataset.loaded = "true";
  };

  const showFigures = (lists: TrialFigure[][]) => {
    const names = labels();
    const rows = alignFigures(lists);
    replace(
      figures,
      rows.length === 0
        ? h("p", { class: "muted" }, "These trials have no figures yet.")
        : h(
            "table",
            { class: "compare-figures" },
            h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "figure"), ...ids.map((id) => h("th", { scope: "col" }, names.get(id) ?? id)))),
            h(
              "tbody",
              {},
              ...rows.map((row) => h("tr", {}, h("th", { scope: "row" }, row.name), ...row.cells.map((f, i) => figureCell(ids[i], f, `${row.name}, ${names.get(ids[i]) ?? ""}`)))),
            ),
          ),
    );
  };

  const loadFigures = async () => {
    figuresLoaded = true;
    try {
      showFigures(await Promise.all(ids.map((id) => api.figures(id).catch(() => []))));
    } catch (error) {
      replace(figures, errorBox(error));
    }
  };

  main.append(
    errors,
    h("section", { class: "panel" }, h("h2", {}, "Loss curves"), curveControls(view, (v) => ((view = v), draw())), chartElement),
    h("h2", {}, "Configs and final metrics"),
    table,
    h("h2", {}, "Figures"),
    figures,
  );

  const polls = ids.map((id) =>
    poll<TrialDetail>(
      `/api/trials/${id}`,
      (detail) => {
        details.set(id, detail);
        replace(errors);
        draw();
        // Figures once every trial is known (their column heads name the trials); a trial that ends adds its figures.
        if ((!figuresLoaded && details.size === ids.length) || (figuresLoaded && detail.trial.finished_at)) void loadFigures();
      },
      (error) => replace(errors, errorBox(error)),
      refreshMs,
    ),
  );
  return {
    dispose() {
      for (const p of polls) p.dispose();
      chart.dispose();
    },
  };
}
