// The token, asked once: a dialog sends it to POST /api/session, whose HttpOnly cookie the browser then presents for
// the rest of its session. The token itself is kept nowhere by the page (not in storage, not in the URL).
import { api, ApiError, onUnauthorized } from "./api";
import { h } from "./dom";

let pending: Promise<boolean> | null = null;

/** Shows the token dialog; resolves true once the server took the token, false if the user dismissed it. */
function askForToken(): Promise<boolean> {
  pending ??= new Promise<boolean>((resolve) => {
    const input = h("input", { type: "password", autocomplete: "current-password", required: true, "aria-label": "API token" });
    const message = h("p", { class: "error", role: "alert", hidden: true });
    const form = h(
      "form",
      { method: "dialog" },
      h("h2", {}, "This server needs its token"),
      h("p", {}, "Paste the coordinator's API token (Api:Token). It is kept for this browser session only."),
      input,
      message,
      h("menu", {}, h("button", { type: "submit", "data-testid": "token-submit" }, "Sign in"), h("button", { type: "button", value: "cancel", onclick: () => finish(false) }, "Cancel")),
    );
    const dialog = h("dialog", { "data-testid": "token-dialog" }, form);
    const finish = (ok: boolean) => {
      dialog.close();
      dialog.remove();
      pending = null;
      resolve(ok);
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await api.startSession(input.value);
        finish(true);
      } catch (error) {
        message.hidden = false;
        message.textContent = error instanceof ApiError ? error.message : String(error);
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
  return pending;
}

/** Wires the API client to ask for the token on a 401, and asks up front when the server needs it for reads. */
export async function setUpAuth(): Promise<void> {
  onUnauthorized(askForToken);
  const session = await api.session();
  if (session.token_required_for_reads && !session.authenticated) await askForToken();
}
