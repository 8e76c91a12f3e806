// Live data without reloading: poll a JSON endpoint with If-None-Match; the server answers 304 while nothing changed
// (a strong ETag of the body), so a quiet sweep costs one small request per interval and no re-rendering.
import { Watch } from "./watch";

export interface Disposable {
  dispose(): void;
}

/** Calls onChange with the body now and whenever it changes, every intervalMs, until disposed. Errors go to onError. */
export function poll<T>(url: string, onChange: (body: T) => void, onError: (error: unknown) => void, intervalMs = 2000): Disposable {
  const watch = new Watch();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const tick = async () => {
    try {
      const body = await watch.read<T>("poll", url);
      if (!stopped && body !== null) onChange(body);
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
