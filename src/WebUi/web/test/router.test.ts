import { describe, expect, it } from "vitest";
import { links, parseRoute } from "../src/router";

const id = "0f8fad5b-d9cb-469f-a165-70867728950e";

describe("parseRoute", () => {
  it("reads each page's route", () => {
    expect(parseRoute("").page).toBe("sweeps");
    expect(parseRoute("#/").page).toBe("sweeps");
    expect(parseRoute(`#/sweeps/${id}`)).toMatchObject({ page: "sweep", id });
    expect(parseRoute(`#/trials/${id}/`)).toMatchObject({ page: "trial", id });
    expect(parseRoute("#/submit").page).toBe("submit");
  });

  it("keeps the query of a route", () => {
    const route = parseRoute(links.compare([id, id]));
    expect(route.page).toBe("compare");
    expect(route.params.get("trials")).toBe(`${id},${id}`);
  });

  it("says not-found for anything else", () => {
    expect(parseRoute("#/sweeps/not-an-id").page).toBe("not-found");
    expect(parseRoute("#/elsewhere").page).toBe("not-found");
  });
});
