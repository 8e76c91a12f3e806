// The compare page's columns: the trials' configs and final metrics side by side (a row per key), and their figures
// aligned by name (a row per figure name, a cell per trial, empty where a trial lacks that figure).
import type { TrialFigure, TrialSummary } from "../api";
import { formatNumber } from "../dom";
import { formatValue } from "./config";

export interface CompareRow {
  label: string;
  cells: string[];
  /** Whether the trials differ in this row (the page marks those rows). */
  differs: boolean;
}

const metricRows: [string, (t: TrialSummary) => number | null][] = [
  ["test total", (t) => t.test_total],
  ["test recon", (t) => t.test_recon],
  ["test KL", (t) => t.test_kl],
  ["IWAE NLL", (t) => t.iwae_nll],
  ["active units", (t) => t.active_units],
  ["epochs run", (t) => t.epoch],
];

/** Every config key of any trial (in first-seen order), then the final metrics. */
export function compareRows(trials: TrialSummary[]): CompareRow[] {
  const keys = [...new Set(trials.flatMap((t) => Object.keys(t.config)))];
  const rows = [
    { label: "status", cells: trials.map((t) => t.status) },
    ...keys.map((key) => ({ label: key, cells: trials.map((t) => formatValue(t.config[key])) })),
    ...metricRows.map(([label, read]) => ({ label, cells: trials.map((t) => formatNumber(read(t))) })),
  ];
  return rows.map((row) => ({ ...row, differs: new Set(row.cells).size > 1 }));
}

export interface FigureRow {
  name: string;
  cells: (TrialFigure | null)[];
}

/** A row per figure name any trial has, sorted by name; each row holds the trials' figures in the trials' order. */
export function alignFigures(figures: TrialFigure[][]): FigureRow[] {
  const names = [...new Set(figures.flatMap((list) => list.map((f) => f.name)))].sort();
  return names.map((name) => ({ name, cells: figures.map((list) => list.find((f) => f.name === name) ?? null) }));
}
