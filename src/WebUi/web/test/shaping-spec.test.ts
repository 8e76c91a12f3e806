import { describe, expect, it } from "vitest";
import type { SpecError } from "../src/api";
import { countLines, errorText, lineMarks, sortErrors } from "../src/shaping/spec";

const error = (line: number, column: number, path: string, message: string): SpecError => ({ file: "s.yaml", line, column, path, message });

describe("errorText", () => {
  it("reads line, column, path and message", () => {
    expect(errorText(error(4, 9, "parameters.beta", "expected a number"))).toBe("line 4, column 9: parameters.beta: expected a number");
  });

  it("leaves out an empty path", () => {
    expect(errorText(error(1, 1, "", "not a YAML mapping"))).toBe("line 1, column 1: not a YAML mapping");
  });
});

describe("lineMarks", () => {
  it("marks each line with an error once, with all its messages in file order", () => {
    const marks = lineMarks([error(3, 7, "b", "second"), error(3, 2, "a", "first"), error(1, 1, "name", "missing")], 5);
    expect([...marks.keys()]).toEqual([1, 3]);
    expect(marks.get(3)).toEqual(["line 3, column 2: a: first", "line 3, column 7: b: second"]);
  });

  it("marks the last line for an error past the end of the text", () => {
    expect([...lineMarks([error(12, 1, "", "unexpected end")], 4).keys()]).toEqual([4]);
  });
});

describe("sortErrors and countLines", () => {
  it("orders errors by line then column without changing the input", () => {
    const errors = [error(2, 5, "", "b"), error(2, 1, "", "a"), error(1, 9, "", "c")];
    expect(sortErrors(errors).map((e) => e.message)).toEqual(["c", "a", "b"]);
    expect(errors[0].message).toBe("b");
  });

  it("counts an empty text as one line and a trailing newline as a new line", () => {
    expect(countLines("")).toBe(1);
    expect(countLines("a\nb\n")).toBe(3);
  });
});
