/**
 * Files a user names (a catalog, a merchants file, a profile, a stock file, a state file, .env),
 * read with one voice: "Failed to read the <kind> <path>: <what is wrong>. <What to do>." A
 * syntax error says its line and column, never the parser's quote of the text: the file may hold
 * hash keys (a merchants file, .env) or be some other file entirely.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";

/** What an unreadable file's error code means, and what to do about it. */
const READ_ERRORS: Record<string, (cwd: string) => string> = {
  ENOENT: (cwd) => `no such file. Check the path (a relative one starts at ${cwd})`,
  EACCES: () => "permission denied. Check the file's permissions",
  EPERM: () => "permission denied. Check the file's permissions",
  EISDIR: () => "it is a folder, not a file. Name a file inside it",
  ENOTDIR: () => "a part of the path is a file, not a folder. Check the path",
};

/** "Failed to read the catalog file x.json: <problem>." with the problem's own ending. */
export function fileMessage(kind: string, path: string, problem: string): string {
  return `Failed to read the ${kind} ${path}: ${problem}${/[.!?]$/.test(problem) ? "" : "."}`;
}

function readProblem(error: unknown, cwd: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known = code ? READ_ERRORS[code] : undefined;
  return known ? known(cwd) : (code ?? (error as Error).message);
}

/**
 * Reads a file the user named as text; `fail` turns the message into the caller's own error (a
 * usage error, a merchants error…), so each command keeps its exit code.
 */
export function readUserFile(
  path: string,
  kind: string,
  fail: (message: string) => Error,
  cwd = process.cwd(),
): string {
  try {
    return readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    throw fail(fileMessage(kind, path, readProblem(error, cwd)));
  }
}

/** readUserFile, without blocking: for commands that read while other work goes on. */
export async function readUserFileAsync(path: string, kind: string, fail: (message: string) => Error): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw fail(fileMessage(kind, path, readProblem(error, process.cwd())));
  }
}

/** Parses a user's JSON file; a syntax error names its line and column and what the parser expected. */
export function parseUserJson(text: string, path: string, kind: string, fail: (message: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const at = syntaxErrorOffset(text);
    const where = at < 0 ? "" : ` at ${lineAndColumn(text, at)}`;
    throw fail(
      fileMessage(kind, path, `not JSON${where} (${parserWords((error as Error).message)}). Fix the file there`),
    );
  }
}

/** "line 3, column 5" of an offset (both counted from 1, columns in characters). */
export function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const column = offset - (before.lastIndexOf("\n") + 1) + 1;
  return `line ${line}, column ${column}`;
}

/** The parser's words without its position or its quote of the text. */
function parserWords(message: string): string {
  const token = /^Unexpected token '(.)'/.exec(message);
  if (token) return `unexpected ${JSON.stringify(token[1])}`;
  if (/^Unexpected end of JSON input/.test(message)) return "the text ends too early";
  const words = message.replace(/ in JSON at position \d+.*$/s, "").replace(/ at position \d+.*$/s, "");
  return words.length > 80 || words.includes('"') ? "a syntax error" : words.charAt(0).toLowerCase() + words.slice(1);
}

/**
 * Where JSON text first goes wrong, as an offset; -1 when it does not. V8 gives a position for
 * most errors but not for an unexpected token, so the text is scanned once more, only after
 * JSON.parse has failed, by a plain reader of the JSON grammar.
 */
export function syntaxErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw new JsonStop(i);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const string = () => {
    i++; // the opening quote
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === "\\") i += 2;
      else if (c < " ") fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      space();
      if (text[i] === close) return void i++;
      for (;;) {
        if (close === "}") {
          space();
          if (text[i] !== '"') fail();
          string();
          space();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        space();
        if (text[i] === ",") i++;
        else if (text[i] === close) return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!literal) fail();
    i += literal![0].length;
  };
  try {
    value();
    space();
    if (i < text.length) fail();
    return -1;
  } catch (error) {
    if (error instanceof JsonStop) return Math.min(error.at, text.length);
    return -1; // nested too deep to scan: no position rather than a crash
  }
}

class JsonStop {
  constructor(readonly at: number) {}
}
