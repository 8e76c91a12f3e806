// Hash routes, so the server serves one page at / and every view is a link that can be shared or reloaded:
// #/ (sweeps), #/sweeps/ID, #/trials/ID, #/compare?trials=ID,ID, #/submit.

export interface Route {
  page: "sweeps" | "sweep" | "trial" | "compare" | "submit" | "not-found";
  id?: string;
  params: URLSearchParams;
}

const guid = "[0-9a-fA-F-]{36}";

/** The route of a location hash such as "#/sweeps/ID?x=1". */
export function parseRoute(hash: string): Route {
  const [path, search = ""] = hash.replace(/^#/, "").split("?", 2);
  const params = new URLSearchParams(search);
  const clean = path.replace(/\/+$/, "") || "/";
  let match: RegExpMatchArray | null;
  if (clean === "/") return { page: "sweeps", params };
  if (clean === "/submit") return { page: "submit", params };
  if (clean === "/compare") return { page: "compare", params };
  if ((match = clean.match(new RegExp(`^/sweeps/(${guid})$`)))) return { page: "sweep", id: match[1], params };
  if ((match = clean.match(new RegExp(`^/trials/(${guid})$`)))) return { page: "trial", id: match[1], params };
  return { page: "not-found", params };
}

export const links = {
  sweeps: () => "#/",
  sweep: (id: string) => `#/sweeps/${id}`,
  trial: (id: string) => `#/trials/${id}`,
  compare: (ids: string[]) => `#/compare?trials=${ids.join(",")}`,
  submit: () => "#/submit",
};
