// Conditional reads for pages that refresh several documents together (the sweep page). Each slot (the table, the
// curves, …) remembers the URL it last read and that document's ETag, so reading the same URL again costs a 304 while
// nothing changed and its chart or table is not drawn again; a slot whose URL changed (another sort, other ticked
// trials) always gets the document, since what it shows is another URL's.
import { getJson } from "./api";

export class Watch {
  private readonly last = new Map<string, { url: string; etag: string }>();

  /** The document at url, or null when the slot's last read was of the same url and it has not changed since. */
  async read<T>(slot: string, url: string): Promise<T | null> {
    const previous = this.last.get(slot);
    const etag = previous?.url === url ? previous.etag : null;
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: etag ? { Accept: "application/json", "If-None-Match": etag } : { Accept: "application/json" },
    });
    if (response.status === 304) return null;
    this.last.delete(slot);
    if (response.status !== 200) return getJson<T>(url); // the typed client raises the problem, or asks for a token
    const tag = response.headers.get("ETag");
    if (tag) this.last.set(slot, { url, etag: tag });
    return (await response.json()) as T;
  }
}
