// The dashboard's entry: sets up the token prompt, then renders the page of the location's hash route into a fresh
// <main data-page=NAME>, disposing the previous page (its polling and charts) first.
import "./styles.css";
import { setUpAuth } from "./auth";
import { errorBox, h } from "./dom";
import type { Disposable } from "./live";
import { parseRoute, type Route } from "./router";
import * as comparePage from "./pages/compare";
import * as submitPage from "./pages/submit";
import * as sweepPage from "./pages/sweep";
import * as sweepsPage from "./pages/sweeps";
import * as trialPage from "./pages/trial";

/** A page renders into its <main> and sets main.dataset.loaded = "true" once its first data is shown. */
export type PageRender = (main: HTMLElement, route: Route) => Disposable;

const pages: Record<Exclude<Route["page"], "not-found">, PageRender> = {
  sweeps: sweepsPage.render,
  sweep: sweepPage.render,
  trial: trialPage.render,
  compare: comparePage.render,
  submit: submitPage.render,
};

let current: Disposable | null = null;

function show(): void {
  current?.dispose();
  current = null;
  const route = parseRoute(location.hash);
  const main = h("main", { "data-page": route.page });
  document.getElementById("app")!.replaceChildren(main);
  if (route.page === "not-found") {
    main.append(h("h1", {}, "Not found"), h("p", {}, "No page here. "), h("a", { href: "#/" }, "All sweeps"));
    main.dataset.loaded = "true";
    return;
  }
  try {
    current = pages[route.page](main, route);
  } catch (error) {
    main.append(errorBox(error));
  }
}

async function start(): Promise<void> {
  try {
    await setUpAuth();
  } catch (error) {
    document.getElementById("app")!.replaceChildren(errorBox(error));
    return;
  }
  window.addEventListener("hashchange", show);
  show();
}

void start();
