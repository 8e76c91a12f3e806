// What a sweep's trials differ in and how a trial is named: the swept config keys (the ones whose values differ
// between trials), a trial's label (#n β=… model=…) and which final metric a sweep's metric ranks by.
import type { Config, TrialPoint } from "../api";

type ConfigValue = Config[string];

/**
 * The keys whose values differ across the configs (a key some configs lack counts as differing), in the order they
 * first appear. Constant keys (seed: 0 in every trial) say nothing about a trial and are left out.
 */
export function sweptKeys(configs: Iterable<Config>): string[] {
  const first = new Map<string, string>();
  const swept = new Set<string>();
  let count = 0;
  for (const config of configs) {
    for (const [key, value] of Object.entries(config)) {
      const text = JSON.stringify(value);
      if (!first.has(key)) {
        first.set(key, text);
        if (count > 0) swept.add(key);
      } else if (first.get(key) !== text) swept.add(key);
    }
    if (count > 0) for (const key of first.keys()) if (!(key in config)) swept.add(key);
    count++;
  }
  return [...first.keys()].filter((key) => swept.has(key));
}

/** A config value as a short text: numbers with 4 significant digits, the rest as they are. */
export function formatValue(value: ConfigValue | undefined): string {
  if (value === null || value === undefined) return "–";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return String(value);
}

/** The keys a trial's label names first, when the sweep varies them: the ones a reader tells VAEs apart by. */
const labelFirst = ["beta", "model", "loss"];

/** A trial's name in legends and tooltips: "#3 β=4 model=cnn", with the given swept keys (β, model, loss first). */
export function trialLabel(number: number, config: Config, keys: string[]): string {
  const ordered = [...labelFirst.filter((k) => keys.includes(k)), ...keys.filter((k) => !labelFirst.includes(k))];
  const parts = ordered.filter((k) => k in config).map((k) => `${k === "beta" ? "β" : k}=${formatValue(config[k])}`);
  return [`#${number}`, ...parts].join(" ");
}

/** The β of a config, when it has a numeric one. */
export function betaOf(config: Config): number | null {
  const beta = config.beta;
  return typeof beta === "number" ? beta : null;
}

/** Every β among the configs, for palette.betaColor. */
export function allBetas(configs: Iterable<Config>): number[] {
  const betas = new Set<number>();
  for (const config of configs) {
    const beta = betaOf(config);
    if (beta !== null) betas.add(beta);
  }
  return [...betas];
}

export type FinalMetricField = "test_total" | "test_recon" | "test_kl" | "iwae_nll" | "active_units";

/**
 * The final metric a sweep metric ranks by, as a field of the trial documents: the metric's own, or the test loss for a
 * metric only the epochs have (train.*), as the coordinator ranks them.
 */
export function metricField(metric: string): FinalMetricField {
  switch (metric) {
    case "test.recon":
      return "test_recon";
    case "test.kl":
      return "test_kl";
    case "iwae_nll":
      return "iwae_nll";
    case "active_units":
      return "active_units";
    default:
      return "test_total";
  }
}

/** A point's value of the sweep's metric. */
export function metricValue(point: Pick<TrialPoint, FinalMetricField>, metric: string): number | null {
  return point[metricField(metric)];
}

/** Seconds from a sweep's first trial start to its end, or to now while it runs; null before any trial started. */
export function sweepDuration(startedAt: string | null, finishedAt: string | null, now: number): number | null {
  if (!startedAt) return null;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  return Math.max(0, (end - Date.parse(startedAt)) / 1000);
}
