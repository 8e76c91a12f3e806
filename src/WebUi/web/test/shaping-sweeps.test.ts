import { describe, expect, it } from "vitest";
import { bestMetric, statusCounts } from "../src/shaping/sweeps";

describe("statusCounts", () => {
  it("lists running and pending first, then how trials ended, leaving out zeros", () => {
    const counts = statusCounts({ completed: 3, failed: 1, pending: 0, running: 2, cancelled: 1, stopped: 4 });
    expect(counts).toEqual([
      { status: "running", count: 2 },
      { status: "completed", count: 3 },
      { status: "stopped", count: 4 },
      { status: "failed", count: 1 },
      { status: "cancelled", count: 1 },
    ]);
  });

  it("puts statuses it does not know last, by name", () => {
    expect(statusCounts({ zombie: 1, completed: 1, archived: 2 }).map((c) => c.status)).toEqual(["completed", "archived", "zombie"]);
  });

  it("is empty for a sweep without trials", () => {
    expect(statusCounts({})).toEqual([]);
  });
});

describe("bestMetric", () => {
  it("points down for a metric to minimize and up for one to maximize", () => {
    expect(bestMetric({ best_value: 101.5, metric: "test.total", goal: "minimize" })).toMatchObject({ value: 101.5, arrow: "↓", goal: "lower is better" });
    expect(bestMetric({ best_value: null, metric: "active_units", goal: "maximize" })).toMatchObject({ value: null, arrow: "↑", metric: "active_units" });
  });
});
