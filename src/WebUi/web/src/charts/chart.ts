// One place that sets ECharts up: only the chart kinds and components the pages use are bundled, every chart follows
// the system's dark or light scheme (re-created with its last option when the scheme changes), resizes with its
// element, and is disposed with its page.
import * as echarts from "echarts/core";
import { BarChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";
import type { Disposable } from "../live";

echarts.use([
  BarChart,
  HeatmapChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

const darkScheme = window.matchMedia("(prefers-color-scheme: dark)");

export class Chart implements Disposable {
  private instance: echarts.ECharts;
  private option: ChartOption | null = null;
  private readonly handlers: [string, (params: unknown) => void][] = [];
  private readonly resizeObserver: ResizeObserver;
  private readonly onSchemeChange = () => this.recreate();

  constructor(readonly element: HTMLElement) {
    this.instance = this.create();
    this.resizeObserver = new ResizeObserver(() => this.instance.resize());
    this.resizeObserver.observe(element);
    darkScheme.addEventListener("change", this.onSchemeChange);
  }

  /** Replaces the chart's option (notMerge: series that are gone disappear). */
  setOption(option: ChartOption): void {
    this.option = option;
    this.instance.setOption({ backgroundColor: "transparent", ...option }, { notMerge: true });
  }

  /** Subscribes to a chart event (click, axis-area selection); kept across the re-creation on a scheme change. */
  on(event: string, handler: (params: unknown) => void): void {
    this.handlers.push([event, handler]);
    this.instance.on(event, handler as never);
  }

  dispose(): void {
    darkScheme.removeEventListener("change", this.onSchemeChange);
    this.resizeObserver.disconnect();
    this.instance.dispose();
  }

  private create(): echarts.ECharts {
    return echarts.init(this.element, darkScheme.matches ? "dark" : undefined, { renderer: "canvas" });
  }

  private recreate(): void {
    this.instance.dispose();
    this.instance = this.create();
    for (const [event, handler] of this.handlers) this.instance.on(event, handler as never);
    if (this.option) this.setOption(this.option);
  }
}

/** Writes data-* attributes that say what a chart shows (the browser tests and screen readers' summaries read them). */
export function markChart(element: HTMLElement, attributes: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(attributes)) element.dataset[name] = String(value);
}
