// The sweep page's trial table: one server page at a time (sorted, filtered and paged by the server), sortable
// headers (click, Enter or Space), focusable rows (Enter opens the trial) and a checkbox per row for Compare.
import type { TrialPage, TrialStatus, TrialSummary } from "../api";
import { formatNumber, h, replace, statusBadge } from "../dom";
import { links } from "../router";
import { formatValue } from "../shaping/config";
import { ariaSort, filterStatus, pageInfo, sortBy, type TableState, turnPage } from "../shaping/trialTable";

interface Column {
  key: string | null; // the sort key; null: not sortable
  label: string;
  numeric?: boolean;
  cell: (t: TrialSummary) => Node | string;
}

const statuses: TrialStatus[] = ["pending", "running", "completed", "failed", "cancelled", "stopped"];

export class TrialTable {
  state: TableState;
  readonly element: HTMLElement;
  private readonly head = h("thead");
  private readonly body = h("tbody");
  private readonly pager = h("span", { class: "muted" });
  private readonly prev = h("button", { type: "button", "data-testid": "table-prev", disabled: true }, "‹ Previous");
  private readonly next = h("button", { type: "button", "data-testid": "table-next", disabled: true }, "Next ›");
  private readonly compare = h("button", { type: "button", "data-testid": "compare-selected", disabled: true }, "Compare selected");
  private keys: string[] = [];
  private page: TrialPage | null = null;

  /**
   * @param selected the ticked trials (kept across pages; the page adds their curves to the chart)
   * @param onStateChange asked to load the page of the new state
   * @param onSelection told when a tick changes
   */
  constructor(
    initial: TableState,
    readonly selected: Set<string>,
    private readonly onStateChange: (state: TableState) => void,
    private readonly onSelection: () => void,
  ) {
    const filter = h("select", { "data-testid": "status-filter", "aria-label": "Status" }, h("option", { value: "" }, "all statuses"), ...statuses.map((s) => h("option", { value: s }, s)));
    this.state = initial;
    filter.value = initial.status;
    filter.addEventListener("change", () => this.change(filterStatus(this.state, filter.value as TrialStatus | "")));
    this.prev.addEventListener("click", () => this.change(turnPage(this.state, -1, this.page?.total ?? 0)));
    this.next.addEventListener("click", () => this.change(turnPage(this.state, 1, this.page?.total ?? 0)));
    this.compare.addEventListener("click", () => (location.hash = links.compare([...this.selected])));
    this.element = h(
      "section",
      { "aria-label": "Trials" },
      h("div", { class: "toolbar" }, filter, this.prev, this.pager, this.next, this.compare),
      h("div", { class: "table-scroll" }, h("table", { "data-testid": "trial-table" }, this.head, this.body)),
    );
  }

  /** Shows the swept keys as columns (from the next render on). */
  setKeys(keys: string[]): void {
    if (keys.join("\n") === this.keys.join("\n")) return;
    this.keys = keys;
    if (this.page) this.show(this.page);
  }

  /** Shows a page of trials, keeping the keyboard focus on the row (or header) that had it. */
  show(page: TrialPage): void {
    this.page = page;
    const focused = document.activeElement;
    const focusedTrial = focused instanceof HTMLElement && this.body.contains(focused) ? focused.closest("tr")?.dataset.trialId : undefined;
    const focusedSort = focused instanceof HTMLElement && this.head.contains(focused) ? focused.dataset.sort : undefined;
    const columns = this.columns();
    replace(this.head, h("tr", {}, h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Compare")), ...columns.map((c) => this.header(c))));
    replace(this.body, ...page.trials.map((t) => this.row(t, columns)));
    if (page.trials.length === 0) this.body.append(h("tr", {}, h("td", { colspan: columns.length + 1, class: "muted" }, "No trials here.")));
    const info = pageInfo(page.offset, page.trials.length, page.total);
    this.pager.textContent = info.label;
    this.prev.disabled = !info.hasPrev;
    this.next.disabled = !info.hasNext;
    this.updateCompare();
    if (focusedTrial) this.body.querySelector<HTMLElement>(`tr[data-trial-id="${focusedTrial}"]`)?.focus();
    if (focusedSort) this.head.querySelector<HTMLElement>(`th[data-sort="${CSS.escape(focusedSort)}"]`)?.focus();
  }

  private change(state: TableState): void {
    this.state = state;
    this.onStateChange(state);
  }

  private columns(): Column[] {
    const num = (read: (t: TrialSummary) => number | null) => (t: TrialSummary) => formatNumber(read(t));
    return [
      { key: "number", label: "#", numeric: true, cell: (t) => h("a", { href: links.trial(t.id), tabindex: -1 }, `#${t.number}`) },
      { key: "status", label: "status", cell: (t) => statusBadge(t.status) },
      ...this.keys.map((k): Column => ({ key: `config.${k}`, label: k, cell: (t) => formatValue(t.config[k]) })),
      { key: "test_total", label: "test total", numeric: true, cell: num((t) => t.test_total) },
      { key: "test_recon", label: "recon", numeric: true, cell: num((t) => t.test_recon) },
      { key: "test_kl", label: "KL", numeric: true, cell: num((t) => t.test_kl) },
      { key: "active_units", label: "active units", numeric: true, cell: num((t) => t.active_units) },
      { key: "iwae_nll", label: "IWAE NLL", numeric: true, cell: num((t) => t.iwae_nll) },
      { key: "epoch", label: "epochs", numeric: true, cell: num((t) => t.epoch) },
      { key: "worker", label: "worker", cell: (t) => t.worker ?? "–" },
      { key: "attempt", label: "attempts", numeric: true, cell: num((t) => t.attempt) },
      { key: null, label: "failure", cell: (t) => t.failure_reason ?? "" },
    ];
  }

  private header(column: Column): HTMLTableCellElement {
    const cls = column.numeric ? "num" : undefined;
    if (column.key === null) return h("th", { scope: "col", class: cls }, column.label);
    const key = column.key;
    const sort = ariaSort(this.state, key);
    const arrow = sort === "ascending" ? " ▲" : sort === "descending" ? " ▼" : "";
    const activate = () => this.change(sortBy(this.state, key));
    return h(
      "th",
      {
        scope: "col",
        class: cls,
        tabindex: 0,
        "data-sort": key,
        "aria-sort": sort,
        onclick: activate,
        onkeydown: (event: Event) => {
          const k = (event as KeyboardEvent).key;
          if (k === "Enter" || k === " ") {
            event.preventDefault();
            activate();
          }
        },
      },
      column.label,
      arrow,
    );
  }

  private row(trial: TrialSummary, columns: Column[]): HTMLTableRowElement {
    const tick = h("input", {
      type: "checkbox",
      "data-testid": "select-trial",
      "aria-label": `Compare trial #${trial.number}`,
      checked: this.selected.has(trial.id),
      onchange: (event: Event) => {
        if ((event.target as HTMLInputElement).checked) this.selected.add(trial.id);
        else this.selected.delete(trial.id);
        this.updateCompare();
        this.onSelection();
      },
    });
    const open = () => (location.hash = links.trial(trial.id));
    return h(
      "tr",
      {
        "data-trial-id": trial.id,
        "data-status": trial.status,
        tabindex: 0,
        class: "clickable",
        onkeydown: (event: Event) => {
          if ((event as KeyboardEvent).key === "Enter" && event.target === event.currentTarget) open();
        },
        onclick: (event: Event) => {
          if (!(event.target as HTMLElement).closest("input, a")) open();
        },
      },
      h("td", {}, tick),
      ...columns.map((c) => h("td", { class: c.numeric ? "num" : c.key === null ? "reason" : undefined }, c.cell(trial))),
    );
  }

  private updateCompare(): void {
    const n = this.selected.size;
    this.compare.disabled = n < 1;
    this.compare.textContent = n > 0 ? `Compare selected (${n})` : "Compare selected";
  }
}
