import { describe, expect, it } from "vitest";
import type { CurveEpoch, PointsDocument, TrialFigure, TrialPoint, TrialSummary } from "../src/api";
import { betaColor } from "../src/palette";
import { alignFigures, compareRows } from "../src/shaping/compare";
import { metricField, sweepDuration, sweptKeys, trialLabel } from "../src/shaping/config";
import { curveSeries } from "../src/shaping/curves";
import { brushedLines, parallelData } from "../src/shaping/parallel";
import { markerShapes, pointCount, scatterGroups } from "../src/shaping/points";
import { ariaSort, filterStatus, initialTable, pageInfo, pageSize, paramsOf, sortBy, stateFromParams, tableQuery, turnPage } from "../src/shaping/trialTable";

describe("sweptKeys", () => {
  it("keeps the keys whose values differ, in first-seen order", () => {
    const configs = [
      { model: "mlp", beta: 1, seed: 0 },
      { model: "cnn", beta: 1, seed: 0 },
      { model: "mlp", beta: 4, seed: 0 },
    ];
    expect(sweptKeys(configs)).toEqual(["model", "beta"]);
  });

  it("counts a key some configs lack as swept (conditional parameters)", () => {
    expect(sweptKeys([{ model: "cnn", filters: 32 }, { model: "cnn" }])).toEqual(["filters"]);
    expect(sweptKeys([{ model: "cnn" }, { model: "cnn", filters: 32 }])).toEqual(["filters"]);
  });

  it("finds nothing swept in a single trial", () => {
    expect(sweptKeys([{ beta: 4 }])).toEqual([]);
  });
});

describe("trialLabel", () => {
  it("names β, model and loss first, with β as β", () => {
    expect(trialLabel(3, { lr: 0.001, model: "cnn", beta: 4 }, ["lr", "model", "beta"])).toBe("#3 β=4 model=cnn lr=0.001");
  });
});

describe("metricField", () => {
  it("ranks epoch-only metrics by the test loss, as the coordinator does", () => {
    expect(metricField("test.kl")).toBe("test_kl");
    expect(metricField("iwae_nll")).toBe("iwae_nll");
    expect(metricField("train.total")).toBe("test_total");
  });
});

describe("sweepDuration", () => {
  it("runs to the end, or to now while running, and is null before a start", () => {
    expect(sweepDuration("2026-01-01T00:00:00Z", "2026-01-01T00:01:30Z", 0)).toBe(90);
    expect(sweepDuration("2026-01-01T00:00:00Z", null, Date.parse("2026-01-01T00:00:10Z"))).toBe(10);
    expect(sweepDuration(null, null, 0)).toBeNull();
  });
});

describe("trial table query", () => {
  it("asks for one page of 50, sorted and filtered by the server", () => {
    const state = filterStatus(sortBy(initialTable, "config.beta"), "completed");
    expect(tableQuery(state)).toEqual({ sort: "config.beta", order: "asc", statuses: ["completed"], offset: 0, limit: pageSize });
    expect(tableQuery(initialTable).statuses).toBeUndefined();
  });

  it("flips the order on the same column and starts counts descending", () => {
    const once = sortBy(initialTable, "test_total");
    expect(once.order).toBe("asc");
    expect(sortBy(once, "test_total").order).toBe("desc");
    expect(sortBy(initialTable, "active_units").order).toBe("desc");
    expect(ariaSort(once, "test_total")).toBe("ascending");
    expect(ariaSort(once, "number")).toBe("none");
  });

  it("goes back to the first page when the sort or filter changes", () => {
    const paged = turnPage(turnPage(initialTable, 1, 10_000), 1, 10_000);
    expect(paged.offset).toBe(100);
    expect(sortBy(paged, "epoch").offset).toBe(0);
    expect(filterStatus(paged, "failed").offset).toBe(0);
  });

  it("keeps the page within the trials", () => {
    expect(turnPage(initialTable, -1, 120).offset).toBe(0);
    const last = turnPage(turnPage(turnPage(initialTable, 1, 120), 1, 120), 1, 120);
    expect(last.offset).toBe(100);
    expect(pageInfo(100, 20, 120)).toEqual({ label: "101–120 of 120", hasPrev: true, hasNext: false });
    expect(pageInfo(0, 50, 120)).toEqual({ label: "1–50 of 120", hasPrev: false, hasNext: true });
    expect(pageInfo(0, 0, 0).label).toBe("no trials");
  });
});

const epochs = (values: [number, "train" | "test", number, number, number][]): CurveEpoch[] =>
  values.map(([epoch, split, total, recon, kl]) => ({ epoch, split, total, recon, kl }));

describe("curveSeries", () => {
  const trials = [
    { id: "a", number: 1, config: { beta: 1, model: "mlp" }, epochs: epochs([[2, "test", 90, 80, 10], [1, "test", 100, 85, 15], [1, "train", 110, 95, 15]]) },
    { id: "b", number: 2, config: { beta: 4, model: "mlp" }, epochs: epochs([[1, "test", 120, 100, 0]]) },
  ];

  it("gives a series per trial of the chosen term and split, by epoch", () => {
    const series = curveSeries(trials, "recon", "test");
    expect(series.map((s) => s.data)).toEqual([[[1, 85], [2, 80]], [[1, 100]]]);
    expect(curveSeries(trials, "total", "train")[0].data).toEqual([[1, 110]]);
    expect(curveSeries(trials, "total", "train")[1].data).toEqual([]);
  });

  it("colours by β on the trials' β ramp and names each trial", () => {
    const series = curveSeries(trials, "total", "test");
    expect(series.map((s) => s.color)).toEqual([betaColor(1, [1, 4]), betaColor(4, [1, 4])]);
    expect(series.map((s) => s.name)).toEqual(["#1 β=1", "#2 β=4"]);
    expect(curveSeries(trials, "total", "test", false, ["beta", "model"])[0].name).toBe("#1 β=1 model=mlp");
  });

  it("leaves out values a log axis cannot show", () => {
    expect(curveSeries(trials, "kl", "test", true)[1].data).toEqual([]);
  });
});

const point = (number: number, config: TrialPoint["config"], kl: number | null, recon: number | null, total: number | null = null): TrialPoint => ({
  id: `t${number}`,
  number,
  status: "completed",
  config,
  test_total: total,
  test_recon: recon,
  test_kl: kl,
  iwae_nll: null,
  active_units: null,
});

describe("scatterGroups", () => {
  const doc: PointsDocument = {
    metric: "test.total",
    goal: "minimize",
    points: [
      point(1, { model: "mlp", loss: "bce", beta: 1 }, 10, 90),
      point(2, { model: "cnn", loss: "bce", beta: 4 }, 5, 95),
      point(3, { model: "mlp", loss: "mse", beta: 4 }, 6, 30),
      point(4, { model: "cnn", loss: "bce", beta: 1 }, null, 99),
    ],
  };

  it("puts each model in its own series with its own marker, points at (KL, recon) in β colours", () => {
    const groups = scatterGroups(doc, ["model", "beta"]);
    expect(groups.map((g) => [g.name, g.symbol, g.hollow])).toEqual([["mlp", markerShapes[0], false], ["cnn", markerShapes[1], false]]);
    expect(groups[0].points.map((p) => p.value)).toEqual([[10, 90], [6, 30]]);
    expect(groups[0].points.map((p) => p.color)).toEqual([betaColor(1, [1, 4]), betaColor(4, [1, 4])]);
    expect(groups[1].points[0]).toMatchObject({ id: "t2", name: "#2 β=4 model=cnn" });
  });

  it("leaves out trials without both metrics", () => {
    expect(pointCount(scatterGroups(doc, ["model", "beta"]))).toBe(3);
  });

  it("splits by loss too when the sweep varies it", () => {
    const groups = scatterGroups(doc, ["model", "loss", "beta"]);
    expect(groups.map((g) => g.name)).toEqual(["mlp · bce", "cnn · bce", "mlp · mse"]);
    // Shape by model, hollow for the second loss.
    expect(groups.map((g) => [g.symbol, g.hollow])).toEqual([[markerShapes[0], false], [markerShapes[1], false], [markerShapes[0], true]]);
  });
});

describe("parallelData", () => {
  const doc: PointsDocument = {
    metric: "test.recon",
    goal: "minimize",
    points: [
      point(1, { model: "mlp", beta: 1, lr: 0.0001 }, 10, 90, 100),
      point(2, { model: "cnn", beta: 4, lr: 0.01 }, 5, 95, 100),
      point(3, { model: "cvae", beta: 7, lr: 0.001 }, 6, 30, 36),
    ],
  };

  it("makes an axis per swept key (category for strings, log for wide positive ranges) and one for the metric", () => {
    const { axes } = parallelData(doc, ["model", "beta", "lr"]);
    expect(axes).toEqual([
      { dim: 0, name: "model", type: "category", data: ["cnn", "cvae", "mlp"] },
      { dim: 1, name: "beta", type: "value" },
      { dim: 2, name: "lr", type: "value", log: true },
      { dim: 3, name: "test.recon", type: "value" },
    ]);
  });

  it("gives a line per trial with its values and the metric last", () => {
    const { lines } = parallelData(doc, ["model", "beta"]);
    expect(lines.map((l) => l.value)).toEqual([["mlp", 1, 90], ["cnn", 4, 95], ["cvae", 7, 30]]);
    expect(lines[0].color).toBe(betaColor(1, [1, 4, 7]));
  });

  it("chooses the lines inside every brushed axis's ranges", () => {
    const data = parallelData(doc, ["model", "beta"]);
    // cnn and cvae are categories 0 and 1; β from 3 to 10.
    const brushed = brushedLines(data, new Map([[0, [[0, 1]]], [1, [[10, 3]]]]));
    expect(brushed.map((l) => l.number)).toEqual([2, 3]);
    expect(brushedLines(data, new Map([[2, [[0, 50]]]])).map((l) => l.number)).toEqual([3]);
    expect(brushedLines(data, new Map([[1, []]]))).toEqual([]);
  });
});

const summary = (id: string, number: number, config: TrialSummary["config"], test_total: number | null): TrialSummary => ({
  id,
  sweep_id: "s",
  number,
  config,
  config_hash: "",
  status: "completed",
  attempt: 1,
  epoch: 3,
  worker: null,
  test_total,
  test_recon: null,
  test_kl: null,
  iwae_nll: null,
  active_units: null,
  failure_class: null,
  failure_reason: null,
  created_at: "",
  started_at: null,
  finished_at: null,
});

describe("compare", () => {
  it("puts every config key and the final metrics in rows, a cell per trial, marking differences", () => {
    const rows = compareRows([summary("a", 1, { beta: 1, seed: 0 }, 101.5), summary("b", 2, { beta: 4, seed: 0, lr: 0.01 }, 99)]);
    const byLabel = Object.fromEntries(rows.map((r) => [r.label, r]));
    expect(byLabel.beta).toEqual({ label: "beta", cells: ["1", "4"], differs: true });
    expect(byLabel.seed.differs).toBe(false);
    expect(byLabel.lr.cells).toEqual(["–", "0.01"]);
    expect(byLabel["test total"].cells).toEqual(["101.5", "99"]);
  });

  it("aligns figures by name, a row per name, an empty cell where a trial lacks one", () => {
    const figure = (trial: string, name: string): TrialFigure => ({ name, size_bytes: 1, url: `/api/trials/${trial}/figures/${name}` });
    const rows = alignFigures([
      [figure("a", "samples.png"), figure("a", "latent.png")],
      [figure("b", "samples.png"), figure("b", "manifold.png")],
    ]);
    expect(rows.map((r) => r.name)).toEqual(["latent.png", "manifold.png", "samples.png"]);
    expect(rows[2].cells.map((f) => f?.url)).toEqual(["/api/trials/a/figures/samples.png", "/api/trials/b/figures/samples.png"]);
    expect(rows[0].cells[1]).toBeNull();
    expect(rows[1].cells[0]).toBeNull();
  });
});

describe("table state in the route", () => {
  it("round-trips through the hash route's query, leaving defaults out", () => {
    const state = { sort: "config.beta", order: "desc" as const, status: "failed" as const, offset: 50 };
    expect(paramsOf(state).toString()).toBe("sort=config.beta&order=desc&status=failed&offset=50");
    expect(stateFromParams(paramsOf(state))).toEqual(state);
    expect(paramsOf(initialTable).toString()).toBe("");
  });

  it("falls back to the first page by number for what it cannot read", () => {
    expect(stateFromParams(new URLSearchParams("status=bogus&offset=-3&order=up"))).toEqual(initialTable);
  });
});
