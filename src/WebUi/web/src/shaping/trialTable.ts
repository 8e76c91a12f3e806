// The trial table's state (sort, order, status filter, page) and the server query it asks for: the sweep page never
// fetches all trials, only the page it shows, sorted and filtered by the server.
import type { TrialPageQuery, TrialStatus } from "../api";

export const pageSize = 50;

export interface TableState {
  sort: string;
  order: "asc" | "desc";
  status: TrialStatus | "";
  offset: number;
}

export const initialTable: TableState = { sort: "number", order: "asc", status: "", offset: 0 };

/** The query of the table's page. */
export function tableQuery(state: TableState): TrialPageQuery {
  return {
    sort: state.sort,
    order: state.order,
    statuses: state.status ? [state.status] : undefined,
    offset: state.offset,
    limit: pageSize,
  };
}

// Losses read best low, so they start ascending; counts and times read best high or newest first.
const descendingFirst = new Set(["active_units", "epoch", "attempt", "created_at", "started_at", "finished_at"]);

/**
 * The state after a click on the header of KEY: the same key flips the order, another key sorts by it in its natural
 * first order. Either way the table goes back to its first page.
 */
export function sortBy(state: TableState, key: string): TableState {
  const order = state.sort === key ? (state.order === "asc" ? "desc" : "asc") : descendingFirst.has(key) ? "desc" : "asc";
  return { ...state, sort: key, order, offset: 0 };
}

/** The state with another status filter, from the first page. */
export function filterStatus(state: TableState, status: TrialStatus | ""): TableState {
  return { ...state, status, offset: 0 };
}

/** The state one page further (+1) or back (-1), kept within 0..total. */
export function turnPage(state: TableState, direction: 1 | -1, total: number): TableState {
  const last = Math.max(0, Math.floor((total - 1) / pageSize) * pageSize);
  return { ...state, offset: Math.min(last, Math.max(0, state.offset + direction * pageSize)) };
}

/** What the pager says and allows: "51–100 of 10000", and whether there is a page before and after. */
export function pageInfo(offset: number, shown: number, total: number): { label: string; hasPrev: boolean; hasNext: boolean } {
  const label = total === 0 ? "no trials" : `${offset + 1}–${offset + shown} of ${total}`;
  return { label, hasPrev: offset > 0, hasNext: offset + shown < total };
}

/** The header's aria-sort of the column KEY. */
export function ariaSort(state: TableState, key: string): "ascending" | "descending" | "none" {
  if (state.sort !== key) return "none";
  return state.order === "asc" ? "ascending" : "descending";
}

const trialStatuses: readonly string[] = ["pending", "running", "completed", "failed", "cancelled", "stopped"];

/**
 * The table's state kept in the page's hash route (#/sweeps/ID?sort=test_total&order=desc&status=failed&offset=50), so
 * Back from a trial returns to the same page of the table; anything unreadable falls back to the first page by number.
 */
export function stateFromParams(params: URLSearchParams): TableState {
  const order = params.get("order");
  const status = params.get("status") ?? "";
  const offset = Number(params.get("offset") ?? 0);
  return {
    sort: params.get("sort") || initialTable.sort,
    order: order === "desc" ? "desc" : "asc",
    status: trialStatuses.includes(status) ? (status as TrialStatus) : "",
    offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
  };
}

/** The hash route's query of a state; the defaults are left out. */
export function paramsOf(state: TableState): URLSearchParams {
  const params = new URLSearchParams();
  if (state.sort !== initialTable.sort || state.order !== initialTable.order) {
    params.set("sort", state.sort);
    params.set("order", state.order);
  }
  if (state.status) params.set("status", state.status);
  if (state.offset > 0) params.set("offset", String(state.offset));
  return params;
}
