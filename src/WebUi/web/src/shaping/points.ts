// The rate–distortion plane: each trial with final metrics as a point at (KL, reconstruction), coloured by β, its
// marker shape by model (and loss), so a reader sees which architecture buys which trade-off.
import type { PointsDocument } from "../api";
import { betaScale, categoryColor } from "../palette";
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

/**
 * One series per marker group (model, or model · loss when the sweep varies the loss), its points and their marker:
 * the shape tells the model, a hollow marker the second (fourth, …) loss.
 */
export interface ScatterGroup {
  name: string;
  symbol: (typeof markerShapes)[number];
  hollow: boolean;
  points: ScatterPoint[];
}

/** The index of name in a first-seen order, adding it when new. */
function indexOf(order: Map<string, number>, name: string): number {
  if (!order.has(name)) order.set(name, order.size);
  return order.get(name)!;
}

/**
 * The scatter groups of the points that have both a KL and a reconstruction, in the order they first appear; models
 * take shapes in the order they first appear (cycling past seven models), losses filled then hollow.
 */
export function scatterGroups(doc: PointsDocument, keys: string[]): ScatterGroup[] {
  const betaColor = betaScale(allBetas(doc.points.map((p) => p.config)));
  const lossVaries = keys.includes("loss");
  const models = new Map<string, number>();
  const losses = new Map<string, number>();
  const groups = new Map<string, ScatterGroup>();
  for (const point of doc.points) {
    if (point.test_kl === null || point.test_recon === null) continue;
    const model = point.config.model === undefined ? "trial" : formatValue(point.config.model);
    const loss = lossVaries && point.config.loss !== undefined ? formatValue(point.config.loss) : null;
    const name = loss === null ? model : `${model} · ${loss}`;
    let group = groups.get(name);
    if (!group) {
      const symbol = markerShapes[indexOf(models, model) % markerShapes.length];
      group = { name, symbol, hollow: loss !== null && indexOf(losses, loss) % 2 === 1, points: [] };
      groups.set(name, group);
    }
    const beta = betaOf(point.config);
    group.points.push({
      value: [point.test_kl, point.test_recon],
      id: point.id,
      name: trialLabel(point.number, point.config, keys),
      color: beta === null ? categoryColor(0) : betaColor(beta),
    });
  }
  return [...groups.values()];
}

/** How many points the groups hold. */
export function pointCount(groups: ScatterGroup[]): number {
  return groups.reduce((n, g) => n + g.points.length, 0);
}
