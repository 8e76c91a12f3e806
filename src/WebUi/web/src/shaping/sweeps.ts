// Data shaping of the sweeps list: which status badges a sweep shows, in which order, and how its best value reads.
import type { SweepListItem } from "../api";

/** The order statuses are listed in: what is happening first, then how trials ended, the bad news before the quiet. */
export const statusOrder = ["running", "pending", "completed", "stopped", "failed", "cancelled"];

export interface StatusCount {
  status: string;
  count: number;
}

/** The statuses a sweep has trials in (zero counts left out), in statusOrder; statuses the page does not know last, by name. */
export function statusCounts(byStatus: Record<string, number>): StatusCount[] {
  const rank = (status: string) => {
    const i = statusOrder.indexOf(status);
    return i < 0 ? statusOrder.length : i;
  };
  return Object.entries(byStatus)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => ({ status, count }))
    .sort((a, b) => rank(a.status) - rank(b.status) || a.status.localeCompare(b.status));
}

export interface BestMetric {
  /** The value, or null while no trial has it. */
  value: number | null;
  metric: string;
  /** ↓ when lower is better, ↑ when higher is. */
  arrow: "↓" | "↑";
  /** Words for the arrow (its title and screen readers). */
  goal: string;
}

export function bestMetric(sweep: Pick<SweepListItem, "best_value" | "metric" | "goal">): BestMetric {
  const minimize = sweep.goal !== "maximize";
  return {
    value: sweep.best_value,
    metric: sweep.metric,
    arrow: minimize ? "↓" : "↑",
    goal: minimize ? "lower is better" : "higher is better",
  };
}
