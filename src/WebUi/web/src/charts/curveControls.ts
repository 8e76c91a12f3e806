// The loss charts' toggles (loss term, split, log axis), shared by the sweep and compare pages.
import { h } from "../dom";
import type { LossTerm, Split } from "../shaping/curves";

export interface CurveView {
  term: LossTerm;
  split: Split;
  log: boolean;
}

/** The toolbar of the toggles; onChange gets the new view whenever one changes. */
export function curveControls(view: CurveView, onChange: (view: CurveView) => void): HTMLElement {
  const term = h(
    "select",
    { "data-testid": "curve-metric", "aria-label": "Loss term" },
    h("option", { value: "total" }, "total"),
    h("option", { value: "recon" }, "reconstruction"),
    h("option", { value: "kl" }, "KL"),
  );
  const split = h(
    "select",
    { "data-testid": "curve-split", "aria-label": "Split" },
    h("option", { value: "test" }, "test"),
    h("option", { value: "train" }, "train"),
  );
  const log = h("input", { type: "checkbox", "data-testid": "log-axis" });
  term.value = view.term;
  split.value = view.split;
  log.checked = view.log;
  const changed = () => onChange({ term: term.value as LossTerm, split: split.value as Split, log: log.checked });
  term.addEventListener("change", changed);
  split.addEventListener("change", changed);
  log.addEventListener("change", changed);
  return h("div", { class: "toolbar" }, term, split, h("label", {}, log, " log scale"));
}
