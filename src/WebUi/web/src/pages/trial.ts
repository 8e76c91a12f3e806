// A trial: what it is (number, sweep, status, config, worker, attempt, why it failed), its epochs, the KL of each
// latent dimension over the epochs (collapsed dimensions marked), its figures, its log and its checkpoint. Live
// while the trial runs: the detail is polled with its ETag, the log follows with ?after=SEQ.
import { api, type CheckpointInfo, type TrialDetail, type TrialFigure, type TrialLogLine, type TrialSummary } from "../api";
import { Chart, markChart } from "../charts/chart";
import { errorBox, formatNumber, formatTime, h, replace, statusBadge } from "../dom";
import { poll, type Disposable } from "../live";
import { rampColor } from "../palette";
import { links, type Route } from "../router";
import { collapsedKlNats, epochRows, isLive, klHeatmap, type EpochRow, type SplitMetrics } from "../shaping/trial";

const logIntervalMs = 2000;

export function render(main: HTMLElement, route: Route): Disposable {
  const id = route.id!;
  const problem = h("div");
  const header = h("section", { class: "trial-header" });
  const checkpoint = h("section", { "data-testid": "checkpoint" });
  const epochs = h("section");
  const klSection = h("section", {}, h("h2", {}, "KL per latent dimension"));
  const klChart = h("div", { class: "chart", "data-testid": "kl-dims-chart", role: "img", "data-dims": 0, "data-collapsed-dims": "" });
  const klNote = h("p", { class: "muted" });
  klSection.append(klChart, klNote);
  const figures = h("div", { class: "figures", "data-testid": "figures" });
  const logs = new TrialLogs(id);
  main.append(
    problem,
    header,
    checkpoint,
    epochs,
    klSection,
    h("section", {}, h("h2", {}, "Figures"), figures),
    h("section", {}, h("h2", {}, "Log"), logs.element),
  );

  let chart: Chart | null = null;
  let figureCount = -1;
  let lastStatus = "";
  const detail = poll<TrialDetail>(
    `/api/trials/${id}`,
    (trial) => {
      replace(problem);
      replace(header, ...headerOf(trial.trial));
      replace(checkpoint, ...checkpointOf(trial.checkpoint, id));
      replace(epochs, h("h2", {}, "Epochs"), epochTable(epochRows(trial.epochs)));
      chart = drawKl(trial, klChart, klNote, chart);
      // Figures are stored when the trial ends: ask again when its status changes, until there are some.
      if (trial.trial.status !== lastStatus && figureCount <= 0) void loadFigures(id, figures).then((n) => (figureCount = n));
      lastStatus = trial.trial.status;
      logs.follow(isLive(trial.trial.status));
      main.dataset.loaded = "true";
    },
    (error) => replace(problem, errorBox(error)),
  );
  return {
    dispose() {
      detail.dispose();
      logs.dispose();
      chart?.dispose();
    },
  };
}

function headerOf(trial: TrialSummary): Node[] {
  const facts: [string, Node | string][] = [
    ["Config", h("span", { class: "config" }, Object.entries(trial.config).map(([k, v]) => `${k}=${v}`).join(" "))],
    ["Worker", trial.worker ?? "–"],
    ["Attempt", String(trial.attempt)],
    ["Epoch", String(trial.epoch)],
    ["Started", formatTime(trial.started_at)],
    ["Finished", formatTime(trial.finished_at)],
    ["Test loss", formatNumber(trial.test_total)],
  ];
  if (trial.failure_class || trial.failure_reason) facts.push(["Failure", h("span", { class: "error" }, [trial.failure_class, trial.failure_reason].filter(Boolean).join(": "))]);
  return [
    h("h1", {}, `Trial ${trial.number} `, statusBadge(trial.status)),
    h("p", {}, "Sweep ", h("a", { href: links.sweep(trial.sweep_id), "data-testid": "sweep-link" }, trial.sweep_id.slice(0, 8)), h("span", { class: "muted" }, ` · trial ${trial.id}`)),
    h("dl", { class: "facts" }, ...facts.flatMap(([term, value]) => [h("dt", {}, term), h("dd", {}, value)])),
  ];
}

function checkpointOf(checkpoint: CheckpointInfo | null, id: string): Node[] {
  if (!checkpoint) return [h("p", { class: "muted" }, "No checkpoint yet.")];
  return [
    h(
      "p",
      {},
      h("a", { href: api.checkpointUrl(id), download: `checkpoint-${id.slice(0, 8)}-epoch-${checkpoint.epoch}`, "data-testid": "checkpoint-link" }, "Download checkpoint"),
      ` epoch ${checkpoint.epoch}, ${formatBytes(checkpoint.size_bytes)}, SHA-256 `,
      h("code", { "data-testid": "checkpoint-sha256" }, checkpoint.sha256),
    ),
  ];
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function epochTable(rows: EpochRow[]): HTMLElement {
  if (rows.length === 0) return h("p", { class: "muted", "data-testid": "epochs-table" }, "No epoch has ended yet.");
  const split = (m: SplitMetrics | null) => [m?.total, m?.recon, m?.kl].map((v) => h("td", { class: "num" }, formatNumber(v)));
  return h(
    "table",
    { "data-testid": "epochs-table" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", {}, ""), h("th", { class: "num", colspan: 3 }, "Train"), h("th", { class: "num", colspan: 3 }, "Test"), h("th", {}, ""), h("th", {}, "")),
      h(
        "tr",
        {},
        h("th", {}, "Epoch"),
        ...["total", "recon", "KL", "total", "recon", "KL"].map((name) => h("th", { class: "num" }, name)),
        h("th", { class: "num" }, "Active units"),
        h("th", { class: "num" }, "Seconds"),
      ),
    ),
    h(
      "tbody",
      {},
      ...rows.map((row) =>
        h("tr", { "data-epoch": row.epoch }, h("td", {}, row.epoch), ...split(row.train), ...split(row.test), h("td", { class: "num" }, formatNumber(row.activeUnits)), h("td", { class: "num" }, row.seconds.toFixed(1))),
      ),
    ),
  );
}

/** Draws the KL heatmap (creating the chart on the first data: ECharts needs its element laid out); returns the chart. */
function drawKl(trial: TrialDetail, element: HTMLElement, note: HTMLElement, chart: Chart | null): Chart | null {
  const heatmap = klHeatmap(trial.epochs);
  markChart(element, { dims: heatmap.dims, collapsedDims: heatmap.collapsed.join(",") });
  element.setAttribute("aria-label", `KL of ${heatmap.dims} latent dimensions over ${heatmap.epochs.length} epochs; collapsed: ${heatmap.collapsed.length === 0 ? "none" : heatmap.collapsed.map((d) => `z${d}`).join(", ")}`);
  if (heatmap.dims === 0) {
    element.hidden = true;
    note.textContent = "No per-dimension KL yet: it is measured on the test set at the end of each epoch.";
    return chart;
  }
  element.hidden = false;
  note.textContent =
    heatmap.collapsed.length === 0
      ? `No collapsed dimension (KL below ${collapsedKlNats} nats at the last epoch).`
      : `Collapsed (KL below ${collapsedKlNats} nats at the last epoch, marked ✕): ${heatmap.collapsed.map((d) => `z${d}`).join(", ")}.`;
  const collapsed = new Set(heatmap.collapsed);
  chart ??= new Chart(element);
  chart.setOption({
    tooltip: { position: "top", formatter: (p: { value: [number, number, number] }) => `epoch ${heatmap.epochs[p.value[0]]}, z${p.value[1]}: ${p.value[2].toFixed(4)} nats` },
    grid: { left: 90, right: 30, top: 20, bottom: 100 },
    xAxis: { type: "category", name: "epoch", nameLocation: "middle", nameGap: 28, data: heatmap.epochs.map(String), splitArea: { show: true } },
    yAxis: {
      type: "category",
      data: Array.from({ length: heatmap.dims }, (_, d) => (collapsed.has(d) ? `✕ z${d}` : `z${d}`)),
      splitArea: { show: true },
    },
    visualMap: {
      min: 0,
      max: Math.max(heatmap.max, collapsedKlNats),
      calculable: true,
      orient: "horizontal",
      left: "center",
      bottom: 0,
      text: ["KL (nats)", ""],
      inRange: { color: Array.from({ length: 9 }, (_, i) => rampColor(i / 8)) },
    },
    series: [{ type: "heatmap", data: heatmap.cells, emphasis: { itemStyle: { borderColor: "#000", borderWidth: 1 } } }],
  });
  return chart;
}

async function loadFigures(id: string, container: HTMLElement): Promise<number> {
  let list: TrialFigure[];
  try {
    list = await api.figures(id);
  } catch (error) {
    replace(container, errorBox(error));
    return 0;
  }
  replace(
    container,
    ...(list.length === 0
      ? [h("p", { class: "muted" }, "No figures yet: they are drawn when the trial ends.")]
      : list.map((figure) =>
          h("figure", {}, h("img", { class: "figure", src: figure.url, alt: figure.name.replace(/\.png$/, "").replace(/-/g, " "), "data-figure": figure.name, loading: "lazy" }), h("figcaption", {}, figure.name)),
        )),
  );
  return list.length;
}

/** The trial's log, appended as lines arrive (GET /logs?after=SEQ every couple of seconds while the trial runs). */
class TrialLogs implements Disposable {
  readonly element = h("div", { class: "logs", "data-testid": "trial-logs", tabindex: 0, role: "log", "aria-label": "Trial log" });
  private readonly list = h("ol", { class: "log-lines" });
  private after: number | undefined;
  private live = false;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly id: string) {
    this.element.append(this.list);
  }

  /** Starts reading the log, and keeps following it while the trial is live. */
  follow(live: boolean): void {
    this.live = live;
    if (this.started) return;
    this.started = true;
    void this.tick();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    let lines: TrialLogLine[] = [];
    try {
      lines = await api.logs(this.id, this.after);
    } catch (error) {
      if (!this.disposed) this.element.append(errorBox(error));
      return;
    }
    if (this.disposed) return;
    this.append(lines);
    // A finished trial's log is read to its end once; a live one is followed.
    if (this.live || lines.length > 0) this.timer = setTimeout(() => void this.tick(), this.live ? logIntervalMs : 0);
  }

  private append(lines: TrialLogLine[]): void {
    if (lines.length === 0) {
      if (this.list.childElementCount === 0 && !this.live) this.list.replaceChildren(h("li", { class: "muted" }, "No log lines."));
      return;
    }
    if (this.after === undefined) this.list.replaceChildren();
    const atBottom = this.element.scrollTop + this.element.clientHeight >= this.element.scrollHeight - 4;
    for (const line of lines) {
      this.list.append(
        h(
          "li",
          { class: `level-${line.level.toLowerCase()}`, "data-sequence": line.sequence },
          h("time", { datetime: line.time }, new Date(line.time).toLocaleTimeString()),
          ` [${line.level}] `,
          line.attempt > 1 ? `(attempt ${line.attempt}) ` : "",
          h("span", { class: "muted" }, `${line.source}: `),
          line.message,
        ),
      );
    }
    this.after = lines[lines.length - 1].sequence;
    if (atBottom) this.element.scrollTop = this.element.scrollHeight;
  }
}
