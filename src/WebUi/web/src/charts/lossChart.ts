// The loss-curves chart: a line per trial (CurveSeries from shaping/curves.ts), epoch on x, the chosen loss on y,
// linear or log.
import type { CurveSeries, LossTerm, Split } from "../shaping/curves";
import type { ChartOption } from "./chart";

const termNames: Record<LossTerm, string> = { total: "total loss", recon: "reconstruction", kl: "KL" };

export function lossChartOption(series: CurveSeries[], term: LossTerm, split: Split, logAxis: boolean): ChartOption {
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 16, bottom: series.length > 0 ? 72 : 40 },
    tooltip: { trigger: "axis", order: "valueAsc", confine: true },
    legend: { type: "scroll", bottom: 0, data: series.map((s) => s.name) },
    xAxis: { type: "value", name: "epoch", nameLocation: "middle", nameGap: 24, minInterval: 1 },
    yAxis: {
      type: logAxis ? "log" : "value",
      name: `${split} ${termNames[term]}`,
      nameLocation: "middle",
      nameGap: 48,
      scale: true,
    },
    series: series.map((s) => ({
      id: s.id,
      name: s.name,
      type: "line",
      data: s.data,
      showSymbol: s.data.length < 2,
      symbolSize: 5,
      color: s.color,
      lineStyle: { width: 1.6 },
      emphasis: { focus: "series" },
    })),
  };
}
