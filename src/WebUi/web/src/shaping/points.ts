// The rate–distortion plane: each trial with final metrics as a point at (KL, reconstruction), coloured by β, its
// marker shape by model (and loss), so a reader sees which architecture buys which trade-off.
import type { PointsDocument, TrialPoint } from "../api";
import { betaColor, categoryColor } from "../palette";
import { allBetas, betaOf, formatValue, trialLabel } from "./config";

/** ECharts' built-in marker shapes, in the order models take them. */
export const markerShapes = ["circle", "triangle", "rect", "diamond", "pin", "roundRect", "arrow"] as const;

export interface ScatterPoint {
  /** [rate (test KL), distortion (test reconstruction)]. */
  value: [number, number];
  id: string;
  name: string;
  color: string;
}

/** One series per marker group (model, or model · loss when the sweep varies the loss), its points and their shape. */
export interface ScatterGroup {
  name: string;
  symbol: (typeof markerShapes)[number];
  points: ScatterPoint[];
}

/** The group of a point: its model, and its loss when the sweep varies the loss. */
function groupOf(point: TrialPoint, lossVaries: boolean): string {
  const model = point.config.model === undefined ? "trial" : formatValue(point.config.model);
  return lossVaries && point.config.loss !== undefined ? `${model} · ${formatValue(point.config.loss)}` : model;
}

/**
 * The scatter groups of the points that have both a KL and a reconstruction; groups in the order they first appear,
 * each with its own marker shape (shapes cycle past seven groups).
 */
export function scatterGroups(doc: PointsDocument, keys: string[]): ScatterGroup[] {
  const betas = allBetas(doc.points.map((p) => p.config));
  const lossVaries = keys.includes("loss");
  const groups = new Map<string, ScatterGroup>();
  for (const point of doc.points) {
    if (point.test_kl === null || point.test_recon === null) continue;
    const name = groupOf(point, lossVaries);
    let group = groups.get(name);
    if (!group) {
      group = { name, symbol: markerShapes[groups.size % markerShapes.length], points: [] };
      groups.set(name, group);
    }
    const beta = betaOf(point.config);
    group.points.push({
      value: [point.test_kl, point.test_recon],
      id: point.id,
      name: trialLabel(point.number, point.config, keys),
      color: beta === null ? categoryColor(0) : betaColor(beta, betas),
    });
  }
  return [...groups.values()];
}

/** How many points the groups hold. */
export function pointCount(groups: ScatterGroup[]): number {
  return groups.reduce((n, g) => n + g.points.length, 0);
}
