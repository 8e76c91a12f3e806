// Data shaping of the submit page: a sweep file's errors as the lines of the editor's gutter and as list items.
import type { SpecError } from "../api";

/** An error as the page lists it: "line L, column C: PATH: MESSAGE" (no path part for an error of the whole file). */
export function errorText(error: SpecError): string {
  const where = `line ${error.line}, column ${error.column}`;
  return error.path ? `${where}: ${error.path}: ${error.message}` : `${where}: ${error.message}`;
}

/** The errors in the order of the file (line, then column). */
export function sortErrors(errors: SpecError[]): SpecError[] {
  return [...errors].sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The editor's lines that hold an error, each with its messages (the gutter marks them and shows the messages as a
 * tooltip). An error past the text's last line (the end of a file missing something) marks the last line.
 */
export function lineMarks(errors: SpecError[], lineCount: number): Map<number, string[]> {
  const marks = new Map<number, string[]>();
  const last = Math.max(1, lineCount);
  for (const error of sortErrors(errors)) {
    const line = Math.min(Math.max(1, error.line), last);
    marks.set(line, [...(marks.get(line) ?? []), errorText(error)]);
  }
  return marks;
}

/** How many lines the editor's text has (an empty text has one, as the editor shows it). */
export function countLines(text: string): number {
  return text.split("\n").length;
}
