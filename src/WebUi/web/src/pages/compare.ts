// The compare page (to be built).
import { h } from "../dom";
import type { Disposable } from "../live";
import type { Route } from "../router";

export function render(main: HTMLElement, _route: Route): Disposable {
  main.append(h("h1", {}, "compare"));
  main.dataset.loaded = "true";
  return { dispose() {} };
}
