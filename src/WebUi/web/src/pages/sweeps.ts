// The sweeps page (to be built).
import { h } from "../dom";
import type { Disposable } from "../live";
import type { Route } from "../router";

export function render(main: HTMLElement, _route: Route): Disposable {
  main.append(h("h1", {}, "sweeps"));
  main.dataset.loaded = "true";
  return { dispose() {} };
}
