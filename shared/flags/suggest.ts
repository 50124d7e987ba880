/**
 * Usage errors that suggest the fix: the nearest known flag for a misspelled one, and the
 * `npm start -- --flag value` form when npm kept a flag for itself. node:util's parseArgs says
 * only "Unknown option '--baseurl'" (for commands with positionals it adds advice about `--` with
 * an unclosed quote); these messages are written here instead.
 */

/** The command's flags, by name (parseArgs' options object; only the names are read here). */
type FlagOptions = Readonly<Record<string, unknown>>;

/** Edit distance counting a swap of neighbours as one edit (`--prot` is one from `--port`). */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name nearest to `typed`, or undefined when none is close. Separators are ignored
 * first (`--baseurl`, `--base_url` → `--base-url`); otherwise at most a third of the letters may
 * differ, so `--frobnicate` suggests nothing rather than something arbitrary.
 */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  const bare = (s: string) => s.toLowerCase().replace(/[-_]/g, "");
  const exact = known.find((k) => bare(k) === bare(typed));
  if (exact) return exact;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(typed.toLowerCase(), k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : undefined;
}

/** "Unknown option --baseurl. Did you mean --base-url?" (each command then points to its --help). */
export function unknownOption(typed: string, options: FlagOptions): string {
  const [name = typed] = typed.replace(/^-+/, "").split("=");
  const suggestion = nearest(name, Object.keys(options));
  return suggestion ? `Unknown option --${name}. Did you mean --${suggestion}?` : `Unknown option --${name}.`;
}

/**
 * An argument the command did not expect. Run by npm (`npm start --port 9000`), npm keeps
 * flags it does not know for itself (as npm_config_port=true) and passes only the value on:
 * the fix is the `--` form, shown with the user's own flags and values.
 */
export function unexpectedArgument(
  argument: string,
  argv: readonly string[],
  options: FlagOptions,
  env: NodeJS.ProcessEnv,
): string {
  const message = `Unexpected argument "${argument}": this command takes no positional arguments.`;
  const script = env.npm_lifecycle_event;
  if (!script) return message;
  const swallowed = Object.keys(options).filter((flag) => env[`npm_config_${flag.replace(/-/g, "_")}`] === "true");
  if (swallowed.length === 0) return message;
  // npm passes the values on in order; pair them with the flags it kept, in the order npm lists them.
  const values = argv.filter((a) => !a.startsWith("-"));
  const pairs = swallowed.map((flag, i) => (values[i] === undefined ? `--${flag}` : `--${flag} ${values[i]}`));
  const npm = ["start", "test", "stop", "restart"].includes(script) ? `npm ${script}` : `npm run ${script}`;
  return `${message} npm kept ${swallowed.map((f) => `--${f}`).join(", ")} for itself: put the command's flags after --, as in: ${npm} -- ${pairs.join(" ")}`;
}
