/** The one voice of file errors (shared/validation/user-file.ts): where a JSON file goes wrong, never what it says. */
import { describe, expect, it } from "vitest";
import { parseUserJson } from "../../shared/validation/user-file.js";

const fail = (message: string) => new Error(message);
const said = (text: string) => {
  try {
    parseUserJson(text, "m.json", "merchants file", fail);
  } catch (error) {
    return (error as Error).message;
  }
  return "parsed";
};

describe("a JSON file with a slip", () => {
  it("names the line and column of an unexpected word, without quoting the file (it may hold hash keys)", () => {
    const message = said('{\n  "merchants": [\n    { "hashKey": secret-hash-key }\n  ]\n}');
    expect(message).toBe(
      'Failed to read the merchants file m.json: not JSON at line 3, column 18 (unexpected "s"). Fix the file there.',
    );
    expect(message).not.toContain("secret-hash-key");
  });

  it("says where a file that stops too early stops, and what was expected there", () => {
    expect(said('{\n  "a": [1, 2')).toBe(
      "Failed to read the merchants file m.json: not JSON at line 2, column 13 (expected ',' or ']' after array element). Fix the file there.",
    );
  });

  it("points at what follows a complete value, and at a trailing comma", () => {
    expect(said('{"a": 1}\n{"b": 2}')).toMatch(
      / at line 2, column 1 \(unexpected non-whitespace character after JSON\)/,
    );
    expect(said("[1, 2,]")).toMatch(/ at line 1, column 7 \(/);
  });

  it("counts columns in characters, not bytes", () => {
    expect(said('{"name": "Café" "x": 1}')).toMatch(/ at line 1, column 17 \(/);
  });
});
