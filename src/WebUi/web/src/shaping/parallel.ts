// Parallel coordinates: one axis per swept config key (a category axis when the key takes strings or booleans) and a
// last axis for the sweep's metric; one line per trial with final metrics.
import type { PointsDocument } from "../api";
import { betaScale, categoryColor } from "../palette";
import { allBetas, betaOf, formatValue, metricValue } from "./config";

export interface ParallelAxis {
  dim: number;
  name: string;
  type: "value" | "category";
  /** The category axis's values, sorted. */
  data?: string[];
  /** A log axis for keys such as the learning rate whose (positive) values span more than a factor of 20. */
  log?: boolean;
}

export interface ParallelLine {
  id: string;
  number: number;
  value: (number | string | null)[];
  /** The trial's β colour. */
  color: string;
}

export interface ParallelData {
  axes: ParallelAxis[];
  lines: ParallelLine[];
}

/** A key is numeric when every trial that has it has a number there. */
function isNumeric(values: unknown[]): boolean {
  return values.every((v) => v === null || v === undefined || typeof v === "number");
}

export function parallelData(doc: PointsDocument, keys: string[]): ParallelData {
  const axes: ParallelAxis[] = keys.map((name, dim) => {
    const values = doc.points.map((p) => p.config[name]);
    if (isNumeric(values)) {
      const numbers = values.filter((v): v is number => typeof v === "number");
      const log = numbers.length > 1 && numbers.every((v) => v > 0) && Math.max(...numbers) / Math.min(...numbers) >= 20;
      return log ? { dim, name, type: "value", log } : { dim, name, type: "value" };
    }
    const data = [...new Set(values.filter((v) => v !== null && v !== undefined).map((v) => formatValue(v)))].sort();
    return { dim, name, type: "category", data };
  });
  axes.push({ dim: keys.length, name: doc.metric, type: "value" });
  const betaColor = betaScale(allBetas(doc.points.map((p) => p.config)));
  const lines = doc.points.map((point) => ({
    id: point.id,
    number: point.number,
    color: betaOf(point.config) === null ? categoryColor(0) : betaColor(betaOf(point.config)!),
    value: [
      ...axes.slice(0, -1).map((axis) => {
        const v = point.config[axis.name];
        if (v === null || v === undefined) return null;
        return axis.type === "category" ? formatValue(v) : (v as number);
      }),
      metricValue(point, doc.metric),
    ],
  }));
  return { axes, lines };
}

/** The chosen ranges of each brushed axis, by axis dim: values on a value axis, category indices on a category axis. */
export type AxisIntervals = Map<number, [number, number][]>;

/**
 * The lines inside every brushed axis's ranges, as ECharts highlights them: a line is chosen when, on each axis that
 * has ranges, its value lies in one of them (a category by its index on the axis). No ranges: none chosen.
 */
export function brushedLines(data: ParallelData, intervals: AxisIntervals): ParallelLine[] {
  const active = [...intervals].filter(([, ranges]) => ranges.length > 0);
  if (active.length === 0) return [];
  return data.lines.filter((line) =>
    active.every(([dim, ranges]) => {
      const axis = data.axes[dim];
      const raw = line.value[dim];
      if (raw === null || raw === undefined) return false;
      const v = axis.type === "category" ? (axis.data ?? []).indexOf(String(raw)) : Number(raw);
      return ranges.some(([a, b]) => v >= Math.min(a, b) && v <= Math.max(a, b));
    }),
  );
}
