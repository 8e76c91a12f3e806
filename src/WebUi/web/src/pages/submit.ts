// Submitting a sweep: paste or open a sweep file, see its problems at their lines as you type (a debounced
// POST /api/sweeps/validate, which changes nothing), and submit it once it is valid; then its page opens.
import { api, ApiError, type SpecErrorList, type ValidatedSpec } from "../api";
import { errorBox, h, replace } from "../dom";
import type { Disposable } from "../live";
import { links, type Route } from "../router";
import { countLines, errorText, lineMarks, sortErrors } from "../shaping/spec";

const validateDelayMs = 400;

type Verdict = { kind: "empty" } | { kind: "valid"; spec: ValidatedSpec } | { kind: "invalid"; errors: SpecErrorList } | { kind: "failed"; error: unknown };

export function render(main: HTMLElement, _route: Route): Disposable {
  let fileName: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Answers can come back out of order: only the latest request's verdict is shown.
  let generation = 0;
  let disposed = false;

  const gutter = h("div", { class: "gutter", "aria-hidden": "true", "data-testid": "spec-gutter" });
  const editor = h("textarea", {
    "data-testid": "spec-input",
    spellcheck: "false",
    autocomplete: "off",
    wrap: "off",
    rows: 24,
    "aria-label": "Sweep file (YAML)",
    placeholder: "name: my-sweep\nmethod: grid\nmetric: {name: test.total, goal: minimize}\nparameters:\n  beta: {values: [1, 4]}",
  });
  const fileInput = h("input", { type: "file", accept: ".yaml,.yml,text/yaml", "data-testid": "spec-file", "aria-label": "Open a sweep file" });
  const validateButton = h("button", { type: "button", "data-testid": "validate" }, "Validate");
  const submitButton = h("button", { type: "button", "data-testid": "submit", disabled: true }, "Submit");
  const verdictArea = h("div", { class: "verdict", "aria-live": "polite" });

  const drawGutter = (marks: Map<number, string[]> = new Map()) => {
    const lines = countLines(editor.value);
    replace(
      gutter,
      ...Array.from({ length: lines }, (_, i) => {
        const messages = marks.get(i + 1);
        return h("div", { class: messages ? "line marked" : "line", "data-line": i + 1, title: messages?.join("\n") }, i + 1);
      }),
    );
    gutter.scrollTop = editor.scrollTop;
  };

  const show = (verdict: Verdict) => {
    submitButton.disabled = verdict.kind !== "valid";
    drawGutter(verdict.kind === "invalid" ? lineMarks(verdict.errors.errors, countLines(editor.value)) : undefined);
    switch (verdict.kind) {
      case "empty":
        replace(verdictArea, h("p", { class: "muted" }, "Paste a sweep file or open one; it is checked as you type."));
        break;
      case "valid":
        replace(verdictArea, summary(verdict.spec));
        break;
      case "invalid":
        replace(verdictArea, errorList(verdict.errors, (line) => goToLine(editor, line)));
        break;
      case "failed":
        replace(verdictArea, errorBox(verdict.error));
        break;
    }
  };

  const validateNow = async () => {
    clearTimeout(timer);
    const text = editor.value;
    const mine = ++generation;
    if (text.trim() === "") return show({ kind: "empty" });
    const verdict = await check(() => api.validate(text, fileName));
    if (!disposed && mine === generation) show(verdict);
  };

  const validateSoon = () => {
    // The verdict shown is for an older text now: no submitting it until the new one is checked.
    submitButton.disabled = true;
    generation++;
    drawGutter();
    clearTimeout(timer);
    timer = setTimeout(() => void validateNow(), validateDelayMs);
  };

  editor.addEventListener("input", validateSoon);
  editor.addEventListener("scroll", () => (gutter.scrollTop = editor.scrollTop));
  fileInput.addEventListener("change", async () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    fileName = file.name;
    editor.value = await file.text();
    await validateNow();
  });
  validateButton.addEventListener("click", () => void validateNow());
  submitButton.addEventListener("click", async () => {
    submitButton.disabled = true;
    const text = editor.value;
    try {
      const snapshot = await api.submit(text, fileName);
      location.hash = links.sweep(snapshot.sweep_id);
    } catch (error) {
      generation++;
      show(isSpecErrors(error) ? { kind: "invalid", errors: error.body as SpecErrorList } : { kind: "failed", error });
    }
  });

  main.append(
    h("h1", {}, "Submit a sweep"),
    h("div", { class: "toolbar" }, h("label", {}, "Open a file ", fileInput), validateButton, submitButton),
    h("div", { class: "editor" }, gutter, editor),
    verdictArea,
  );
  show({ kind: "empty" });
  main.dataset.loaded = "true";
  return {
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

async function check(validate: () => Promise<ValidatedSpec>): Promise<Verdict> {
  try {
    return { kind: "valid", spec: await validate() };
  } catch (error) {
    return isSpecErrors(error) ? { kind: "invalid", errors: error.body as SpecErrorList } : { kind: "failed", error };
  }
}

function isSpecErrors(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 400 && Array.isArray((error.body as Partial<SpecErrorList> | null)?.errors);
}

function summary(spec: ValidatedSpec): HTMLElement {
  const trials = spec.trials === null ? "no cap on its trials (it runs until stopped)" : `${spec.trials} trial${spec.trials === 1 ? "" : "s"}`;
  return h(
    "section",
    { class: "panel", "data-testid": "spec-summary" },
    h("p", {}, h("strong", {}, "Valid. "), h("span", { "data-field": "name" }, spec.name), ": ", spec.method, " search, ", trials, ", ", spec.goal, " ", spec.metric, "."),
    h("p", {}, "Parameters: ", spec.parameters.length === 0 ? "none" : spec.parameters.join(", ")),
  );
}

function errorList(list: SpecErrorList, goTo: (line: number) => void): HTMLElement {
  return h(
    "section",
    {},
    h("p", { class: "error" }, list.title),
    h(
      "ul",
      { "data-testid": "spec-errors", class: "spec-errors" },
      ...sortErrors(list.errors).map((error) =>
        h("li", { "data-line": error.line, "data-column": error.column }, h("a", { href: "#/submit", onclick: (event: Event) => (event.preventDefault(), goTo(error.line)) }, errorText(error))),
      ),
    ),
  );
}

/** Puts the caret at the start of a line and brings it into view. */
function goToLine(editor: HTMLTextAreaElement, line: number): void {
  const lines = editor.value.split("\n");
  const offset = lines.slice(0, Math.max(0, line - 1)).reduce((sum, text) => sum + text.length + 1, 0);
  editor.focus();
  editor.setSelectionRange(offset, offset);
  const lineHeight = parseFloat(getComputedStyle(editor).lineHeight) || 18;
  editor.scrollTop = Math.max(0, (line - 3) * lineHeight);
}
