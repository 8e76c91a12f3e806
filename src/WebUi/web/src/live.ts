// Live data without reloading: poll a JSON endpoint with If-None-Match; the server answers 304 while nothing changed
// (a strong ETag of the body), so a quiet sweep costs one small request per interval and no re-rendering.
import { getJson } from "./api";

export interface Disposable {
  dispose(): void;
}

/** Calls onChange with the body now and whenever it changes, every intervalMs, until disposed. Errors go to onError. */
export function poll<T>(url: string, onChange: (body: T) => void, onError: (error: unknown) => void, intervalMs = 2000): Disposable {
  let etag: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const tick = async () => {
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: etag ? { Accept: "application/json", "If-None-Match": etag } : { Accept: "application/json" },
      });
      if (stopped) return;
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        onChange((await response.json()) as T);
      } else if (response.status !== 304) {
        // Not the usual path: let the typed client raise the problem (and ask for a token on 401).
        onChange(await getJson<T>(url));
      }
    } catch (error) {
      if (!stopped) onError(error);
    }
    if (!stopped) timer = setTimeout(tick, intervalMs);
  };
  void tick();
  return {
    dispose() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
