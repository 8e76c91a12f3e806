// The sweep page: its header and actions, the best trial, the live trial table, the loss curves, the rate–distortion
// plane and the parallel coordinates. Built for sweeps of 10,000 trials: the table is one server page, the curves are
// the top 20 plus the ticked trials, the points one compact document, and every read is conditional (ETag), so an
// unchanged document is neither downloaded again nor drawn again.
import { api, type PointsDocument, type SweepDetail, type TrialCurve, type TrialDetail, type TrialFigure, type TrialPage, type TrialSummary } from "../api";
import { curveControls, type CurveView } from "../charts/curveControls";
import { Chart, markChart } from "../charts/chart";
import { lossChartOption } from "../charts/lossChart";
import { axisId, parallelChartOption } from "../charts/parallelChart";
import { rdChartOption } from "../charts/rdChart";
import { errorBox, formatDuration, formatNumber, formatTime, h, replace, statusBadge } from "../dom";
import type { Disposable } from "../live";
import { links, type Route } from "../router";
import { formatValue, sweepDuration, sweptKeys } from "../shaping/config";
import { curveSeries, type CurveSource } from "../shaping/curves";
import { type AxisIntervals, brushedLines, parallelData, type ParallelData } from "../shaping/parallel";
import { pointCount, scatterGroups } from "../shaping/points";
import { paramsOf, stateFromParams, tableQuery } from "../shaping/trialTable";
import { Watch } from "../watch";
import { TrialTable } from "./trialTable";

/** How often the page reads the sweep's detail; the table, curves and points follow when it changed. */
const detailIntervalMs = 2000;
/** How often the table, curves and points are read anyway while trials run (epochs change without the detail). */
const runningIntervalMs = 5000;
const curvesTop = 20;
/** The most ticked trials whose curves join the top ones (the API takes up to 50). */
const tickedCurves = 50;

export function render(main: HTMLElement, route: Route): Disposable {
  const page = new SweepPage(main, route.id!, route.params);
  page.start();
  return page;
}

class SweepPage implements Disposable {
  private readonly watch = new Watch();
  private readonly selected = new Set<string>();
  private readonly configs = new Map<string, TrialSummary["config"]>();
  private keys: string[] = [];
  private detail: SweepDetail | null = null;
  private points: PointsDocument | null = null;
  private curves: TrialCurve[] = [];
  private parallel: ParallelData | null = null;
  private readonly brushes: AxisIntervals = new Map();
  private curveView: CurveView = { term: "total", split: "test", log: false };
  private bestShown: string | null = null;
  private started: string | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastFullRefresh = 0;
  private disposed = false;
  private pointsReadAt = 0;
  /** Whether a read of the sweep is in flight (one loop of reads at a time), and whether another should follow it. */
  private ticking = false;
  private refreshAgain = false;

  private readonly errors = h("div", { "aria-live": "polite" });
  private readonly header = h("section", { class: "sweep-header" });
  private readonly actionError = h("div", { "aria-live": "polite" });
  private readonly best = h("section", { class: "panel", "data-testid": "best-trial", "aria-label": "Best trial" });
  private readonly lossElement = h("div", { class: "chart", "data-testid": "loss-chart", role: "img", "aria-label": "Loss curves" });
  private readonly rdElement = h("div", { class: "chart", "data-testid": "rd-chart", role: "img", "aria-label": "Rate–distortion plane" });
  private readonly parallelElement = h("div", { class: "chart", "data-testid": "parallel-chart", role: "img", "aria-label": "Parallel coordinates" });
  private readonly brushInfo = h("span", { class: "muted", "aria-live": "polite" });
  private readonly lossChart = new Chart(this.lossElement);
  private readonly rdChart = new Chart(this.rdElement);
  private readonly parallelChart = new Chart(this.parallelElement);
  private readonly table: TrialTable;

  constructor(
    private readonly main: HTMLElement,
    private readonly sweepId: string,
    params: URLSearchParams,
  ) {
    this.table = new TrialTable(
      stateFromParams(params),
      this.selected,
      (state) => {
        // The route keeps the table's state for Back from a trial; replaceState does not re-render the page.
        const query = paramsOf(state).toString();
        history.replaceState(null, "", `${links.sweep(sweepId)}${query ? `?${query}` : ""}`);
        void this.loadTable();
      },
      () => void this.loadCurves(),
    );
    this.rdChart.on("click", (params) => {
      const id = (params as { data?: { id?: string } }).data?.id;
      if (id) location.hash = links.trial(id);
    });
    this.parallelChart.on("axisareaselected", (params) => this.onBrush(params as { parallelAxisId: string; intervals: [number, number][] }));
    main.append(
      this.errors,
      this.header,
      this.actionError,
      this.best,
      h(
        "div",
        { class: "grid-2" },
        h("section", { class: "panel" }, h("h2", {}, "Loss curves"), curveControls(this.curveView, (view) => this.onCurveView(view)), this.lossElement),
        h("section", { class: "panel" }, h("h2", {}, "Rate–distortion"), h("p", { class: "muted" }, "Test KL (rate) against reconstruction (distortion); colour β, shape model. Click a point to open its trial."), this.rdElement),
      ),
      h("section", { class: "panel" }, h("h2", {}, "Parallel coordinates"), h("div", { class: "toolbar" }, h("span", { class: "muted" }, "Drag along an axis to pick a range."), this.brushInfo), this.parallelElement),
      h("h2", {}, "Trials"),
      this.table.element,
    );
  }

  start(): void {
    void this.tick();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.lossChart.dispose();
    this.rdChart.dispose();
    this.parallelChart.dispose();
  }

  /** Reads the detail; on a change (or every few seconds while trials run) the table, points and curves too. */
  private async tick(): Promise<void> {
    this.ticking = true;
    try {
      const detail = await this.watch.read<SweepDetail>("detail", api.sweepPath(this.sweepId));
      if (this.disposed) return;
      const running = (this.detail?.trials_by_status.running ?? 0) > 0;
      const due = running && Date.now() - this.lastFullRefresh >= runningIntervalMs;
      if (detail) {
        await this.loadStarted();
        if (this.disposed) return;
        this.showDetail(detail, this.started);
      }
      if (detail || due) {
        this.lastFullRefresh = Date.now();
        await Promise.all([this.loadTable(), this.loadPoints(), this.loadCurves()]);
      }
      if (this.disposed) return;
      replace(this.errors);
      this.main.dataset.loaded = "true";
    } catch (error) {
      if (this.disposed) return;
      replace(this.errors, errorBox(error));
    }
    this.ticking = false;
    if (!this.disposed) this.timer = setTimeout(() => void this.tick(), this.refreshAgain ? 0 : detailIntervalMs);
    this.refreshAgain = false;
  }

  /** Reads the sweep again now (after an action), or right after the read in flight. */
  private refreshNow(): void {
    if (this.ticking) {
      this.refreshAgain = true;
      return;
    }
    clearTimeout(this.timer);
    void this.tick();
  }

  private async loadTable(): Promise<void> {
    const url = api.trialsPath(this.sweepId, tableQuery(this.table.state));
    const page = await this.watch.read<TrialPage>("table", url);
    // A page of a state the user has left (sorted again while it loaded) is not shown.
    if (!page || this.disposed || url !== api.trialsPath(this.sweepId, tableQuery(this.table.state))) return;
    this.learnConfigs(page.trials);
    this.table.show(page);
  }

  private async loadPoints(): Promise<void> {
    // While trials run, a large sweep's points (megabytes, two charts to redraw) are read less often the more there
    // are (10,000 points: every 30 s) while the table and curves keep their pace; once none runs, always.
    const spacing = Math.max(runningIntervalMs, (this.points?.points.length ?? 0) * 3);
    const running = (this.detail?.trials_by_status.running ?? 0) > 0;
    if (running && Date.now() - this.pointsReadAt < spacing) return;
    this.pointsReadAt = Date.now();
    const points = await this.watch.read<PointsDocument>("points", `/api/sweeps/${this.sweepId}/points`);
    if (!points || this.disposed) return;
    this.points = points;
    this.learnConfigs(points.points);
    this.drawPoints();
  }

  private curvesUrl(): string {
    const ticked = [...this.selected].slice(0, tickedCurves);
    return `/api/sweeps/${this.sweepId}/curves?top=${curvesTop}${ticked.map((id) => `&trial=${id}`).join("")}`;
  }

  private async loadCurves(): Promise<void> {
    const url = this.curvesUrl();
    const doc = await this.watch.read<{ trials: TrialCurve[] }>("curves", url);
    if (!doc || this.disposed || url !== this.curvesUrl()) return;
    this.curves = doc.trials;
    this.learnConfigs(doc.trials);
    this.drawCurves();
  }

  /** Adds configs the page has not seen; when the swept keys change, the table's columns and the charts follow. */
  private learnConfigs(trials: { id: string; config: TrialSummary["config"] }[]): void {
    for (const t of trials) this.configs.set(t.id, t.config);
    const keys = sweptKeys(this.configs.values());
    if (keys.join("\n") === this.keys.join("\n")) return;
    this.keys = keys;
    this.table.setKeys(keys);
    if (this.points) this.drawPoints();
    this.drawCurves();
  }

  /** The earliest trial start (the detail does not carry it): the first row of the table sorted by start. */
  private async loadStarted(): Promise<void> {
    const first = await this.watch.read<TrialPage>("started", api.trialsPath(this.sweepId, { sort: "started_at", order: "asc", limit: 1 }));
    if (first) this.started = first.trials[0]?.started_at ?? null;
  }

  private showDetail(detail: SweepDetail, started: string | null): void {
    this.detail = detail;
    const { sweep, progress, trials_by_status: counts } = detail;
    const facts: [string, Node | string][] = [
      ["method", sweep.method],
      ["metric", `${sweep.metric} (${sweep.goal})`],
      ["progress", `${progress.ended} of ${progress.total} trials ended`],
      ["trials", Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ") || "none"],
      ["created", formatTime(sweep.created_at)],
      ["started", formatTime(started)],
      ["duration", formatDuration(sweepDuration(started, sweep.finished_at, Date.now()))],
    ];
    const active = sweep.status === "pending" || sweep.status === "running";
    const failed = counts.failed ?? 0;
    replace(
      this.header,
      h("h1", {}, sweep.name, " ", statusBadge(sweep.status)),
      h("dl", { class: "facts" }, ...facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
      detail.waiting.length > 0 &&
        h("ul", { class: "waiting" }, ...detail.waiting.map((w) => h("li", {}, `${w.trials} trial${w.trials === 1 ? "" : "s"} waiting for a worker with ${w.requires.join(", ")}`))),
      h(
        "div",
        { class: "toolbar" },
        active && h("button", { type: "button", "data-testid": "cancel-sweep", onclick: () => void this.cancel() }, "Cancel sweep"),
        failed > 0 && h("button", { type: "button", "data-testid": "retry-failed", onclick: () => void this.retry() }, `Retry ${failed} failed`),
        h("a", { href: api.reportUrl(sweep.id), target: "_blank", rel: "noopener", "data-testid": "report-link" }, "Report"),
        h("a", { href: links.sweeps() }, "All sweeps"),
      ),
    );
    void this.showBest(detail.best);
  }

  private async cancel(): Promise<void> {
    if (!confirm(`Cancel sweep ${this.detail?.sweep.name ?? ""}? Its running trials stop and pending ones never start.`)) return;
    await this.act(() => api.cancel(this.sweepId));
  }

  private async retry(): Promise<void> {
    await this.act(() => api.retryFailed(this.sweepId));
  }

  private async act(action: () => Promise<unknown>): Promise<void> {
    replace(this.actionError);
    try {
      await action();
    } catch (error) {
      if (!this.disposed) replace(this.actionError, errorBox(error));
      return;
    }
    if (!this.disposed) this.refreshNow();
  }

  /** The best trial's panel; its checkpoint and figures are read again only when the best trial or its end changed. */
  private async showBest(best: TrialSummary | null): Promise<void> {
    const key = best ? `${best.id} ${best.finished_at}` : null;
    if (key === this.bestShown) return;
    this.bestShown = key;
    if (!best) {
      replace(this.best, h("h2", {}, "Best trial"), h("p", { class: "muted" }, "No trial has final metrics yet."));
      return;
    }
    let detail: TrialDetail;
    let figures: TrialFigure[];
    try {
      [detail, figures] = await Promise.all([api.trial(best.id), api.figures(best.id)]);
    } catch (error) {
      this.bestShown = null; // read again with the next change
      if (!this.disposed) replace(this.best, h("h2", {}, "Best trial ", h("a", { href: links.trial(best.id) }, `#${best.number}`)), errorBox(error));
      return;
    }
    if (this.disposed || key !== this.bestShown) return;
    const metric = (label: string, value: number | null) => [h("dt", {}, label), h("dd", {}, formatNumber(value))];
    replace(
      this.best,
      h("h2", {}, "Best trial ", h("a", { href: links.trial(best.id) }, `#${best.number}`)),
      h(
        "dl",
        { class: "facts" },
        ...Object.entries(best.config).flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, formatValue(v))]),
        ...metric("test total", best.test_total),
        ...metric("recon", best.test_recon),
        ...metric("KL", best.test_kl),
        ...metric("IWAE NLL", best.iwae_nll),
        ...metric("active units", best.active_units),
      ),
      detail.checkpoint &&
        h("p", {}, h("a", { href: api.checkpointUrl(best.id), download: `trial-${best.number}.pt`, "data-testid": "checkpoint-link" }, `Download checkpoint (epoch ${detail.checkpoint.epoch}, ${formatNumber(detail.checkpoint.size_bytes / 1e6, 3)} MB)`)),
      figures.length > 0 &&
        h("div", { class: "thumbnails" }, ...figures.map((f) => h("a", { href: links.trial(best.id) }, h("img", { class: "figure thumb", src: f.url, alt: f.name, title: f.name, "data-figure": f.name, loading: "lazy" })))),
    );
  }

  private onCurveView(view: CurveView): void {
    this.curveView = view;
    this.drawCurves();
  }

  private drawCurves(): void {
    const sources: CurveSource[] = this.curves;
    const series = curveSeries(sources, this.curveView.term, this.curveView.split, this.curveView.log, this.keys);
    this.lossChart.setOption(lossChartOption(series, this.curveView.term, this.curveView.split, this.curveView.log));
    markChart(this.lossElement, { seriesCount: series.length });
  }

  private drawPoints(): void {
    if (!this.points) return;
    const groups = scatterGroups(this.points, this.keys);
    this.rdChart.setOption(rdChartOption(groups));
    markChart(this.rdElement, { pointCount: pointCount(groups) });
    this.parallel = parallelData(this.points, this.keys);
    this.brushes.clear();
    this.parallelChart.setOption(parallelChartOption(this.parallel));
    markChart(this.parallelElement, { lineCount: this.parallel.lines.length });
    this.showBrushed();
  }

  private onBrush(event: { parallelAxisId: string; intervals: [number, number][] }): void {
    if (!this.parallel) return;
    const axis = this.parallel.axes.find((a) => axisId(a.dim) === event.parallelAxisId);
    if (!axis) return;
    this.brushes.set(axis.dim, event.intervals);
    this.showBrushed();
  }

  private showBrushed(): void {
    if (!this.parallel) return;
    const brushed = [...this.brushes.values()].some((r) => r.length > 0);
    const chosen = brushedLines(this.parallel, this.brushes);
    this.brushInfo.textContent = brushed ? `${chosen.length} of ${this.parallel.lines.length} trials chosen` : "";
    markChart(this.parallelElement, { brushedCount: chosen.length });
  }
}
