/**
 * Command-line flags for the kit's three commands (og-stock, og-mock, og-contract): parsing with
 * one error type, and settings read from a flag or else its environment variable, so that an
 * error names what the user actually set (`--port` or `OG_MOCK_PORT`).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { unexpectedArgument, unknownOption } from "./suggest.js";

/** Bad usage: the command prints the message and exits 64 (sysexits' EX_USAGE). */
export class UsageError extends Error {
  override name = "UsageError";
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;
export type FlagOptions = NonNullable<ParseArgsConfig["options"]>;

/**
 * `node:util` parseArgs in strict mode, its errors turned into UsageErrors that suggest the fix
 * (the nearest flag; the `npm start -- …` form when npm kept a flag). `env` is where npm's
 * traces are read (npm_lifecycle_event, npm_config_*).
 */
export function parseFlags(
  argv: string[],
  options: FlagOptions,
  { positionals = false, env = process.env }: { positionals?: boolean; env?: NodeJS.ProcessEnv } = {},
): { values: FlagValues; positionals: string[] } {
  const simple = simpleFlags(argv, options);
  if (simple) return { values: simple, positionals: [] };
  try {
    const parsed = parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
    return { values: parsed.values as FlagValues, positionals: parsed.positionals };
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const typed = /'(-[^']*)'/.exec(message)?.[1] ?? message;
      throw new UsageError(unknownOption(typed, options));
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") {
      const argument = /'([^']*)'/.exec(message)?.[1] ?? "";
      throw new UsageError(unexpectedArgument(argument, argv, options, env));
    }
    throw new UsageError(message);
  }
}

/**
 * The common command line read without parseArgs, whose first call is a noticeable part of every
 * start (node compiles its parser then; docs/performance.md, figure 4): long options only, each `--name value`, `--name=value` or a
 * boolean `--name`, all known, no value that starts with a dash, no option with a default. Any
 * other command line is parseArgs's (undefined here), which reads it or says what is wrong. What
 * this returns is what parseArgs would (test/cli/flags-simple.test.ts checks the two agree).
 */
function simpleFlags(argv: string[], options: FlagOptions): FlagValues | undefined {
  const values: FlagValues = Object.create(null);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith("--")) return undefined;
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const option = Object.hasOwn(options, name) ? options[name] : undefined;
    if (!option) return undefined;
    let value: string | boolean;
    if (option.type === "boolean") {
      if (eq !== -1) return undefined;
      value = true;
    } else if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("-")) return undefined;
      value = next;
      i++;
    }
    if (option.multiple) ((values[name] ??= []) as Array<string | boolean>).push(value);
    else values[name] = value;
  }
  // parseArgs fills in every default: a command line that has options with defaults is its.
  for (const name in options) if (options[name]!.default !== undefined) return undefined;
  return values;
}

/** A whole number ≥ min (≤ max when given), or a UsageError naming `name`. */
export function wholeNumber(value: string, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value) || Number(value) < min)
    throw new UsageError(`${name} must be a whole number ≥ ${min}; got "${value}".`);
  const n = Number(value);
  if (n > max) throw new UsageError(`${name} must be at most ${max}; got ${value}.`);
  return n;
}

/** A finite number, or a UsageError naming `name`. */
export function finiteNumber(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new UsageError(`${name} must be a number; got "${value}".`);
  return n;
}

/** One of `choices`, or a UsageError naming `name` and the choices. */
export function oneOf<T extends string>(value: string, name: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const list = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
  throw new UsageError(`${name} must be ${list}; got "${value}".`);
}

/**
 * Settings from parsed flags, each falling back to an environment variable (an empty variable
 * counts as unset). Remembers which settings were given and where each came from.
 */
export class FlagReader {
  /** Flags (without `--`) whose setting was given, by flag or by environment variable. */
  readonly given = new Set<string>();
  readonly #source = new Map<string, string>();

  constructor(
    readonly values: FlagValues,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The flag's value, else the environment variable's, else undefined. */
  string(flag: string, envName?: string): string | undefined {
    const fromFlag = this.values[flag];
    if (typeof fromFlag === "string") return this.#note(flag, `--${flag}`, fromFlag);
    const fromEnv = envName === undefined ? undefined : this.env[envName];
    if (fromEnv === undefined || fromEnv === "") return undefined;
    return this.#note(flag, envName!, fromEnv);
  }

  /** A repeatable flag, else a comma-separated environment variable (items trimmed, empty ones dropped). */
  list(flag: string, envName?: string): string[] | undefined {
    const fromFlag = this.values[flag];
    if (Array.isArray(fromFlag)) return this.#note(flag, `--${flag}`, fromFlag);
    const fromEnv = this.string(flag, envName);
    return fromEnv
      ?.split(",")
      .map((v) => v.trim())
      .filter(Boolean);
  }

  /** A boolean flag, else an environment variable read as 1/true/yes (anything else is false). */
  boolean(flag: string, envName?: string): boolean | undefined {
    const fromFlag = this.values[flag];
    if (typeof fromFlag === "boolean") return this.#note(flag, `--${flag}`, fromFlag);
    const fromEnv = this.string(flag, envName);
    return fromEnv === undefined ? undefined : ["1", "true", "yes"].includes(fromEnv);
  }

  /** A whole number from the flag or its variable, checked; undefined when neither is set. */
  whole(flag: string, envName: string | undefined, min = 0, max?: number): number | undefined {
    const v = this.string(flag, envName);
    return v === undefined ? undefined : wholeNumber(v, this.name(flag), min, max);
  }

  /** What the user set for this flag, for messages: `--flag` or the environment variable's name. */
  name(flag: string): string {
    return this.#source.get(flag) ?? `--${flag}`;
  }

  #note<T>(flag: string, source: string, value: T): T {
    this.given.add(flag);
    this.#source.set(flag, source);
    return value;
  }
}
