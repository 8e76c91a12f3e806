// Data shaping of the trial page: its epochs as table rows, and the KL of each latent dimension over the epochs.
import type { EpochDocument } from "../api";

/**
 * A latent dimension whose KL stays below this many nats at the trial's last epoch is marked collapsed: its posterior
 * is the prior, it carries nothing about the image. 0.01 is the same cut the product uses for active units (the
 * variance of E[z|x] above 0.01), so the two views agree on a healthy dimension.
 */
export const collapsedKlNats = 0.01;

export interface SplitMetrics {
  total: number;
  recon: number;
  kl: number;
}

export interface EpochRow {
  epoch: number;
  train: SplitMetrics | null;
  test: SplitMetrics | null;
  activeUnits: number | null;
  /** Training and evaluation time of the epoch. */
  seconds: number;
}

/** One row per epoch, train and test side by side, in epoch order. */
export function epochRows(epochs: EpochDocument[]): EpochRow[] {
  const rows = new Map<number, EpochRow>();
  for (const e of epochs) {
    const row = rows.get(e.epoch) ?? { epoch: e.epoch, train: null, test: null, activeUnits: null, seconds: 0 };
    row[e.split] = { total: e.total, recon: e.recon, kl: e.kl };
    row.activeUnits = e.active_units ?? row.activeUnits;
    row.seconds += e.seconds;
    rows.set(e.epoch, row);
  }
  return [...rows.values()].sort((a, b) => a.epoch - b.epoch);
}

export interface KlHeatmap {
  /** The epochs that measured KL per dimension, in order (the heatmap's columns). */
  epochs: number[];
  /** How many latent dimensions (the heatmap's rows). */
  dims: number;
  /** [column, dimension, KL in nats]. */
  cells: [number, number, number][];
  /** The dimensions whose KL at the last measured epoch is below collapsedKlNats. */
  collapsed: number[];
  /** The largest KL of any cell (the colour scale's top). */
  max: number;
}

/** The KL of each dimension per epoch, from the test split (the train split where an epoch has no test row). */
export function klHeatmap(epochs: EpochDocument[]): KlHeatmap {
  const byEpoch = new Map<number, number[]>();
  for (const e of [...epochs].sort((a, b) => (a.split === b.split ? 0 : a.split === "test" ? 1 : -1))) {
    // Test rows come last, so they replace the train row of their epoch.
    if (e.kl_per_dimension && e.kl_per_dimension.length > 0) byEpoch.set(e.epoch, e.kl_per_dimension);
  }
  const columns = [...byEpoch.keys()].sort((a, b) => a - b);
  const dims = Math.max(0, ...[...byEpoch.values()].map((kl) => kl.length));
  const cells: [number, number, number][] = [];
  columns.forEach((epoch, column) => byEpoch.get(epoch)!.forEach((kl, dim) => cells.push([column, dim, kl])));
  const last = columns.length > 0 ? byEpoch.get(columns[columns.length - 1])! : [];
  return {
    epochs: columns,
    dims,
    cells,
    collapsed: collapsedDims(last),
    max: cells.reduce((max, [, , kl]) => Math.max(max, kl), 0),
  };
}

/** The dimensions of a KL-per-dimension vector below collapsedKlNats. */
export function collapsedDims(klPerDimension: number[]): number[] {
  return klPerDimension.flatMap((kl, dim) => (kl < collapsedKlNats ? [dim] : []));
}

/** Whether a trial can still change (its page keeps polling). */
export function isLive(status: string): boolean {
  return status === "running" || status === "pending";
}
