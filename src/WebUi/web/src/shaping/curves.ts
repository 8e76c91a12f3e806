// Loss curves as chart series: one series per trial, the chosen loss term of the chosen split by epoch, coloured by
// the trial's β on the sweep's β ramp.
import type { Config, CurveEpoch } from "../api";
import { betaScale, categoryColor } from "../palette";
import { allBetas, betaOf, sweptKeys, trialLabel } from "./config";

export type LossTerm = "total" | "recon" | "kl";
export type Split = "train" | "test";

/** A trial with its epochs: a /curves trial, or a trial detail's trial and epochs (compare page). */
export interface CurveSource {
  id: string;
  number: number;
  config: Config;
  epochs: CurveEpoch[];
}

export interface CurveSeries {
  id: string;
  name: string;
  color: string;
  /** [epoch, value] by epoch. */
  data: [number, number][];
}

/**
 * One series per trial (trials without an epoch of the split still get one, empty, so the legend names them all).
 * With a log axis, values that are not positive are left out (a log axis cannot show them). Labels name the given
 * swept keys (the sweep's), or else the keys the trials differ in.
 */
export function curveSeries(trials: CurveSource[], term: LossTerm, split: Split, logAxis = false, keys?: string[]): CurveSeries[] {
  const configs = trials.map((t) => t.config);
  const betaColor = betaScale(allBetas(configs));
  keys ??= sweptKeys(configs);
  return trials.map((trial, i) => {
    const beta = betaOf(trial.config);
    const data = trial.epochs
      .filter((e) => e.split === split && (!logAxis || e[term] > 0))
      .map((e): [number, number] => [e.epoch, e[term]])
      .sort((a, b) => a[0] - b[0]);
    return {
      id: trial.id,
      name: trialLabel(trial.number, trial.config, keys),
      color: beta === null ? categoryColor(i) : betaColor(beta),
      data,
    };
  });
}
