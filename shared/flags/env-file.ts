/**
 * The settings file og-contract and og-mock --upstream read: `--env-file FILE` (which must exist)
 * or else `./.env` (when present), the real environment winning over it, as with dotenv and
 * Node's own --env-file. One reader for both commands, so a `.env` filled for og-contract gives
 * og-mock the same merchant credentials.
 *
 * node:util's parseEnv never refuses a line: one without `=` silently becomes part of the next
 * line's name (`OG_PUBLIC_ID shop\nOG_HASH_KEY=k` sets neither), so a slip in the file would read
 * as a setting that is not there. Each line is checked first, and a malformed file is a usage
 * error naming the line, never quoting it (the file holds hash keys).
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import { UsageError } from "./flags.js";
import { fileMessage, readUserFile } from "../validation/user-file.js";

export interface EnvFile {
  /** The file read, as the user would name it (".env" or the --env-file argument); undefined when none. */
  file?: string;
  /** Variables set from the file (those the environment did not already set). */
  loaded: Set<string>;
}

const KIND = "settings file";

/** `NAME=value` or `export NAME=value`, the names dotenv accepts. */
const ASSIGNMENT = /^(?:export\s+)?[\w.-]+\s*=\s*(.*)$/;

/**
 * Why the file is not a settings file, or undefined when every line is blank, a comment or an
 * assignment (a quoted value may span lines, as parseEnv reads it).
 */
export function envFileProblem(text: string): string | undefined {
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) return `line ${i + 1} is not NAME=value (a comment starts with #). Fix the file there`;
    const value = m[1]!;
    const quote = value[0];
    if (quote !== '"' && quote !== "'" && quote !== "`") continue;
    if (value.indexOf(quote, 1) > 0) continue;
    // The value goes on until its closing quote, on a later line.
    const closing = lines.findIndex((l, j) => j > i && l.includes(quote));
    if (closing < 0)
      return `the value on line ${i + 1} opens a quote (${quote}) that never closes. Close it, or remove the quote`;
    i = closing;
  }
  return undefined;
}

/**
 * The settings of `--env-file FILE` (`flag`; it must exist) or else of `./.env` (when present),
 * checked; `file` is undefined when there is none. UsageError when it cannot be read or is malformed.
 */
export function readEnvFile(
  flag: string | undefined,
  cwd = process.cwd(),
): { file?: string; values: Record<string, string> } {
  const name = flag ?? ".env";
  if (flag === undefined && !existsSync(resolve(cwd, name))) return { values: {} };
  const text = readUserFile(name, KIND, (message) => new UsageError(message), cwd);
  const problem = envFileProblem(text);
  if (problem) throw new UsageError(fileMessage(KIND, name, problem));
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseEnv(text) as NodeJS.Dict<string>))
    if (value !== undefined) values[key] = value;
  return { file: name, values };
}

/**
 * Reads the settings file (readEnvFile) into `env`, without overriding a variable the
 * environment already sets (an empty one counts as set, as with dotenv: `OG_API_KEY= npx
 * og-contract` turns the file's key off).
 */
export function loadEnvFile(flag: string | undefined, env: NodeJS.ProcessEnv, cwd = process.cwd()): EnvFile {
  const { file, values } = readEnvFile(flag, cwd);
  if (file === undefined) return { loaded: new Set() };
  const loaded = new Set<string>();
  for (const [key, value] of Object.entries(values)) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    loaded.add(key);
  }
  return { file, loaded };
}
