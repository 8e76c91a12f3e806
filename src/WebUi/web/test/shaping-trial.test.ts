import { describe, expect, it } from "vitest";
import type { EpochDocument } from "../src/api";
import { collapsedDims, collapsedKlNats, epochRows, isLive, klHeatmap } from "../src/shaping/trial";

function epoch(n: number, split: "train" | "test", kl: number[] | null = null, seconds = 2): EpochDocument {
  return { epoch: n, split, total: 100 + n, recon: 90 + n, kl: 10, seconds, samples_per_second: 1000, kl_per_dimension: kl, active_units: kl ? kl.filter((k) => k >= collapsedKlNats).length : null };
}

describe("epochRows", () => {
  it("puts train and test of an epoch side by side, in epoch order, adding their seconds", () => {
    const rows = epochRows([epoch(2, "test", [1, 0]), epoch(1, "train", null, 3), epoch(1, "test", [1, 1], 1), epoch(2, "train")]);
    expect(rows.map((r) => r.epoch)).toEqual([1, 2]);
    expect(rows[0]).toMatchObject({ train: { total: 101 }, test: { total: 101 }, activeUnits: 2, seconds: 4 });
    expect(rows[1].activeUnits).toBe(1);
  });

  it("leaves a split that has not run empty", () => {
    expect(epochRows([epoch(1, "train")])[0].test).toBeNull();
  });
});

describe("klHeatmap", () => {
  it("has a cell per epoch and dimension and marks dimensions collapsed at the last epoch", () => {
    const map = klHeatmap([epoch(1, "test", [2, 0.5, 0.3]), epoch(2, "test", [2.5, 0.004, 0.2]), epoch(2, "train")]);
    expect(map.epochs).toEqual([1, 2]);
    expect(map.dims).toBe(3);
    expect(map.cells).toHaveLength(6);
    expect(map.cells).toContainEqual([1, 1, 0.004]);
    expect(map.collapsed).toEqual([1]);
    expect(map.max).toBe(2.5);
  });

  it("prefers the test split's KL of an epoch to the train split's", () => {
    const map = klHeatmap([epoch(1, "test", [3, 3]), epoch(1, "train", [0, 0])]);
    expect(map.cells).toEqual([
      [0, 0, 3],
      [0, 1, 3],
    ]);
    expect(map.collapsed).toEqual([]);
  });

  it("is empty before any epoch measured KL per dimension", () => {
    expect(klHeatmap([epoch(1, "train")])).toEqual({ epochs: [], dims: 0, cells: [], collapsed: [], max: 0 });
  });
});

describe("collapsedDims and isLive", () => {
  it("counts a dimension at the threshold as active", () => {
    expect(collapsedDims([collapsedKlNats, collapsedKlNats / 2, 0])).toEqual([1, 2]);
  });

  it("follows pending and running trials only", () => {
    expect(["pending", "running", "completed", "failed", "stopped", "cancelled"].filter(isLive)).toEqual(["pending", "running"]);
  });
});
