// The rate–distortion plane: test KL (rate) on x, test reconstruction (distortion) on y, a series per model group with
// its marker shape, each point in its β colour. Large sweeps draw progressively, so 10,000 points do not block the page.
import type { ScatterGroup } from "../shaping/points";
import type { ChartOption } from "./chart";
import { escapeHtml } from "./tooltip";

interface PointParams {
  data?: { name: string; value: [number, number] };
  seriesName?: string;
}

function tooltip(params: unknown): string {
  const { data, seriesName } = params as PointParams;
  if (!data) return "";
  const [kl, recon] = data.value;
  return `${escapeHtml(data.name)}<br>${escapeHtml(seriesName ?? "")}<br>KL ${kl.toPrecision(4)} · recon ${recon.toPrecision(4)}`;
}

/** A filled marker, or a hollow one: its outline in the colour. */
function markerStyle(color: string, hollow: boolean) {
  return hollow
    ? { color: "transparent", borderColor: color, borderWidth: 1.6, opacity: 0.9 }
    : { color, borderColor: "rgba(128,128,128,0.6)", borderWidth: 0.5, opacity: 0.85 };
}

export function rdChartOption(groups: ScatterGroup[]): ChartOption {
  return {
    animation: false,
    grid: { left: 64, right: 16, top: 16, bottom: 72 },
    tooltip: { trigger: "item", formatter: tooltip, confine: true },
    legend: { type: "scroll", bottom: 0, data: groups.map((g) => ({ name: g.name, icon: g.symbol })) },
    xAxis: { type: "value", name: "rate: test KL", nameLocation: "middle", nameGap: 24, scale: true },
    yAxis: { type: "value", name: "distortion: test reconstruction", nameLocation: "middle", nameGap: 48, scale: true },
    series: groups.map((g) => ({
      name: g.name,
      type: "scatter",
      symbol: g.symbol,
      symbolSize: 9,
      // Progressive drawing keeps each point's own colour (large mode would draw one style per series).
      progressive: 2000,
      progressiveThreshold: 3000,
      // Grey for the legend's marker (the legend tells shapes apart); each point carries its β colour.
      itemStyle: markerStyle("#8c8c8c", g.hollow),
      emphasis: { scale: 1.6 },
      data: g.points.map((p) => ({ value: p.value, name: p.name, id: p.id, itemStyle: markerStyle(p.color, g.hollow) })),
    })),
  };
}
