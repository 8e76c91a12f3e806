import { afterEach, describe, expect, it, vi } from "vitest";
import { Watch } from "../src/watch";

/** A fake server: each URL has a body and an ETag; a matching If-None-Match gets 304. */
function serve(bodies: Record<string, { etag: string; body: unknown }>) {
  const requests: { url: string; ifNoneMatch: string | null }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    const ifNoneMatch = (init.headers as Record<string, string>)["If-None-Match"] ?? null;
    requests.push({ url, ifNoneMatch });
    const doc = bodies[url];
    if (ifNoneMatch === doc.etag) return new Response(null, { status: 304 });
    return new Response(JSON.stringify(doc.body), { status: 200, headers: { ETag: doc.etag } });
  });
  return requests;
}

afterEach(() => vi.unstubAllGlobals());

describe("Watch", () => {
  it("answers null for an unchanged document and the body once it changed", async () => {
    const bodies = { "/a": { etag: '"1"', body: { n: 1 } } };
    const requests = serve(bodies);
    const watch = new Watch();
    expect(await watch.read("slot", "/a")).toEqual({ n: 1 });
    expect(await watch.read("slot", "/a")).toBeNull();
    expect(requests[1].ifNoneMatch).toBe('"1"');
    bodies["/a"] = { etag: '"2"', body: { n: 2 } };
    expect(await watch.read("slot", "/a")).toEqual({ n: 2 });
  });

  it("gives a slot the document again when it goes back to a URL it read before (another sort, then the first)", async () => {
    serve({ "/a": { etag: '"a"', body: "A" }, "/b": { etag: '"b"', body: "B" } });
    const watch = new Watch();
    expect(await watch.read("table", "/a")).toBe("A");
    expect(await watch.read("table", "/b")).toBe("B");
    expect(await watch.read("table", "/a")).toBe("A");
  });

  it("keeps slots apart", async () => {
    serve({ "/a": { etag: '"a"', body: "A" } });
    const watch = new Watch();
    expect(await watch.read("one", "/a")).toBe("A");
    expect(await watch.read("two", "/a")).toBe("A");
    expect(await watch.read("one", "/a")).toBeNull();
  });
});
