// Parallel coordinates of the swept keys and the sweep's metric: a line per trial in its β colour. Brushing an axis
// (drag along it) highlights the lines inside; the page counts them from the axisAreaSelected events.
import type { ParallelData } from "../shaping/parallel";
import type { ChartOption } from "./chart";

/** The id of the axis of dim (the axisAreaSelected event names the axis by it). */
export const axisId = (dim: number) => `axis-${dim}`;

export function parallelChartOption(data: ParallelData): ChartOption {
  const many = data.lines.length > 500;
  return {
    animation: false,
    parallel: { left: 48, right: 96, top: 48, bottom: 32, parallelAxisDefault: { nameLocation: "start", nameGap: 16 } },
    parallelAxis: data.axes.map((axis) => ({
      id: axisId(axis.dim),
      dim: axis.dim,
      name: axis.name,
      type: axis.log ? "log" : axis.type,
      data: axis.data,
      scale: true,
      nameLocation: "end",
      nameGap: 14,
      realtime: !many,
    })),
    series: [
      {
        type: "parallel",
        smooth: false,
        progressive: 1000,
        inactiveOpacity: 0.05,
        activeOpacity: 1,
        lineStyle: { width: many ? 0.6 : 1.4, opacity: many ? 0.35 : 0.8 },
        data: data.lines.map((line) => ({ value: line.value, name: `#${line.number}`, lineStyle: { color: line.color } })),
      },
    ],
  };
}
