// The sweeps list: every sweep with its trials by status, its best value of its metric, when it started and how long
// it ran; live (polls /api/sweeps). With no sweep yet it says how to start one.
import type { SweepListItem } from "../api";
import { errorBox, formatDuration, formatNumber, formatTime, h, replace, statusBadge } from "../dom";
import { poll, type Disposable } from "../live";
import { links, type Route } from "../router";
import { bestMetric, statusCounts } from "../shaping/sweeps";

const listUrl = "/api/sweeps?limit=200";

export function render(main: HTMLElement, _route: Route): Disposable {
  const body = h("div");
  const problem = h("div");
  main.append(h("h1", {}, "Sweeps"), problem, body);
  return poll<SweepListItem[]>(
    listUrl,
    (sweeps) => {
      replace(problem);
      replace(body, sweeps.length === 0 ? emptyState() : table(sweeps));
      main.dataset.loaded = "true";
    },
    (error) => replace(problem, errorBox(error)),
  );
}

function emptyState(): HTMLElement {
  return h(
    "section",
    { class: "panel empty", "data-testid": "sweeps-empty" },
    h("p", {}, "No sweeps yet. ", h("a", { href: links.submit() }, "Submit a sweep file"), " here, or start one from the command line:"),
    h("pre", {}, "./sweep run examples/quick.yaml --serve        # a sweep in this process, this dashboard while it runs\n./sweep submit examples/beta-vae.yaml          # a sweep on a running coordinator"),
  );
}

function table(sweeps: SweepListItem[]): HTMLElement {
  return h(
    "table",
    { "data-testid": "sweeps-table" },
    h(
      "thead",
      {},
      h("tr", {}, h("th", {}, "Name"), h("th", {}, "Method"), h("th", {}, "Status"), h("th", {}, "Trials"), h("th", { class: "num" }, "Best"), h("th", {}, "Started"), h("th", { class: "num" }, "Duration")),
    ),
    h("tbody", {}, ...sweeps.map(row)),
  );
}

function row(sweep: SweepListItem): HTMLElement {
  const best = bestMetric(sweep);
  return h(
    "tr",
    { "data-sweep-id": sweep.id, "data-status": sweep.status },
    h("td", {}, h("a", { href: links.sweep(sweep.id) }, sweep.name), " ", h("span", { class: "muted id" }, sweep.id.slice(0, 8))),
    h("td", {}, sweep.method),
    h("td", {}, statusBadge(sweep.status)),
    h(
      "td",
      { class: "counts" },
      ...statusCounts(sweep.trials_by_status).map(({ status, count }) => h("span", { class: `badge status-${status}`, title: `${count} ${status}` }, `${count} ${status}`)),
      h("span", { class: "muted" }, ` of ${sweep.trials}`),
    ),
    h(
      "td",
      { class: "num" },
      formatNumber(best.value),
      " ",
      h("span", { class: "muted" }, best.metric),
      " ",
      h("span", { class: "goal", title: best.goal, "aria-label": best.goal }, best.arrow),
    ),
    h("td", {}, formatTime(sweep.started_at)),
    h("td", { class: "num" }, formatDuration(sweep.duration_seconds)),
  );
}
