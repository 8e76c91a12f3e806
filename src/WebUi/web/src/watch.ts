// Conditional reads for pages that refresh several documents together (the sweep page): each URL's last ETag is
// kept, so an unchanged document costs a 304 and its chart or table is not drawn again.
import { getJson } from "./api";

export class Watch {
  private readonly etags = new Map<string, string>();

  /** The document at url, or null when it has not changed since this watch last read it. */
  async read<T>(url: string): Promise<T | null> {
    const etag = this.etags.get(url);
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: etag ? { Accept: "application/json", "If-None-Match": etag } : { Accept: "application/json" },
    });
    if (response.status === 304) return null;
    if (response.status !== 200) return getJson<T>(url); // the typed client raises the problem, or asks for a token
    const tag = response.headers.get("ETag");
    if (tag) this.etags.set(url, tag);
    return (await response.json()) as T;
  }

  /** Forgets url's ETag, so the next read returns the document even if unchanged (a chart that must be redrawn). */
  forget(url: string): void {
    this.etags.delete(url);
  }
}
