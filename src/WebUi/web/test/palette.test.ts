import { describe, expect, it } from "vitest";
import { betaColor, categoryColor, rampColor } from "../src/palette";

describe("betaColor", () => {
  it("spreads a sweep's βs over the ramp by their logarithm", () => {
    const betas = [1, 4, 16];
    expect(betaColor(1, betas)).toBe(rampColor(0));
    expect(betaColor(4, betas)).toBe(rampColor(0.45));
    expect(betaColor(16, betas)).toBe(rampColor(0.9));
  });

  it("gives a lone β the ramp's middle", () => {
    expect(betaColor(4, [4])).toBe(rampColor(0.5));
  });

  it("gives distinct βs distinct colours", () => {
    const betas = [0.5, 1, 2, 4, 7];
    expect(new Set(betas.map((b) => betaColor(b, betas))).size).toBe(betas.length);
  });
});

describe("categoryColor", () => {
  it("cycles through the palette", () => {
    expect(categoryColor(0)).toBe(categoryColor(8));
    expect(categoryColor(1)).not.toBe(categoryColor(0));
  });
});
