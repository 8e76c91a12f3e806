// Colours a colour-blind reader can tell apart: Okabe–Ito for categories (model, loss, status) and a viridis ramp
// (perceptually uniform, readable in greyscale) for β, which is ordered, so low and high β read as an order.

export const categorical = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

// Viridis at 9 stops; betaColor interpolates between them.
const viridis = ["#440154", "#472d7b", "#3b528b", "#2c728e", "#21918c", "#28ae80", "#5ec962", "#addc30", "#fde725"];

function mix(a: string, b: string, t: number): string {
  const channel = (hex: string, i: number) => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  const parts = [0, 1, 2].map((i) => Math.round(channel(a, i) + (channel(b, i) - channel(a, i)) * t));
  return `#${parts.map((p) => p.toString(16).padStart(2, "0")).join("")}`;
}

/** The colour of a position 0..1 on the ramp. */
export function rampColor(t: number): string {
  const x = Math.min(1, Math.max(0, t)) * (viridis.length - 1);
  const i = Math.min(viridis.length - 2, Math.floor(x));
  return mix(viridis[i], viridis[i + 1], x - i);
}

/**
 * The colour of β among the sweep's βs, on a log scale from the smallest to the largest (β = 1, 4, 16 are evenly
 * spaced), so a sweep's βs use the whole ramp. A single β takes the ramp's middle. The range is found once: a sweep
 * of 10,000 trials colours 10,000 points with one scale.
 */
export function betaScale(allBetas: number[]): (beta: number) => string {
  let lo = Infinity;
  let hi = -Infinity;
  for (const beta of allBetas) {
    if (!(beta > 0)) continue;
    const log = Math.log(beta);
    if (log < lo) lo = log;
    if (log > hi) hi = log;
  }
  // The ramp's last stop (yellow) is hard to see on white; stop short of it.
  return (beta) => (hi > lo && beta > 0 ? rampColor(((Math.log(beta) - lo) / (hi - lo)) * 0.9) : rampColor(0.5));
}

/** The colour of one β among the sweep's βs (betaScale, for a single value). */
export function betaColor(beta: number, allBetas: number[]): string {
  return betaScale(allBetas)(beta);
}

/** The colour of the i-th category. */
export function categoryColor(i: number): string {
  return categorical[((i % categorical.length) + categorical.length) % categorical.length];
}
