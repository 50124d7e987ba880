/**
 * Starts og-mock as a child process and hands back its URL once the banner says it listens.
 * One helper for everyone who needs a real og-mock process: og-contract's own fake
 * (contract-tests/target.ts, shipped), the tests (test/helpers/spawn.ts) and the benchmarks
 * (bench/lib.ts). The bench also starts servers that are not og-mock (the ceiling, Prism) with
 * startServerProcess, the same machinery with another banner.
 *
 * Two promises: no child is left running when starting fails (a timed-out child is killed and
 * waited for), and no error this module writes carries a secret given to the child (values of
 * --hash-key, --api-key, --merchant-hash-key, --admin-token and of secret-looking environment
 * variables are redacted from the command and from what the child printed). output() stays raw:
 * it is the caller's to check (tests assert that og-mock itself never prints a secret).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export interface StartOptions {
  /** Arguments after the entry, as given: add "--port", "0" for a free port. */
  args?: string[];
  /** The child's whole environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /**
   * The entry to run: a .js file (the bundle dist/mock-server/bin/og-mock.js, the compiled
   * dist/mock-server/cli/bin.js) runs with node, a .ts file (mock-server/cli/bin.ts) through tsx.
   * Default: the og-mock next to this module, compiled when there is one, else the source.
   */
  bin?: string;
  /** Working directory of the child (default: this process's); a relative bin resolves from it. */
  cwd?: string;
  /** How long to wait for the banner (default 15 s); then the child is killed. */
  timeoutMs?: number;
  /** A command that runs node for us, e.g. ["taskset", "-c", "0"] to pin the server to a core. */
  launcher?: string[];
  /**
   * Keep what the child prints after its banner for output() (default true). A benchmark turns
   * this off: a server logging every request would grow this process's memory under load.
   */
  keepOutput?: boolean;
}

export interface RunningProcess {
  url: string;
  child: ChildProcess;
  /** Everything the child printed so far, stdout and stderr as they came (raw, see above). */
  output(): string;
  /** Sends the signal (default SIGTERM) and waits for the exit; the exit code (null after a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** og-mock's banner starts with this line (mock-server/cli/banner.ts). */
const OG_MOCK_BANNER = /og-mock listening on (http:\/\/\S+)\s/;

const DEFAULT_TIMEOUT_MS = 15_000;

export function startOgMock(options: StartOptions = {}): Promise<RunningProcess> {
  return startServerProcess({ ...options, bin: options.bin ?? defaultBin(), name: "og-mock", banner: OG_MOCK_BANNER });
}

/** og-mock next to this module: dist/mock-server/cli/bin.js when compiled, mock-server/cli/bin.ts in the repo. */
function defaultBin(): string {
  const compiled = fileURLToPath(new URL("./bin.js", import.meta.url));
  return existsSync(compiled) ? compiled : fileURLToPath(new URL("./bin.ts", import.meta.url));
}

/**
 * Any server that prints "... listening on http://..." once it is ready. The banner is looked
 * for in stdout and stderr separately, and the URL must be followed by whitespace, so a URL cut
 * between two chunks is never taken for the whole.
 */
export function startServerProcess(
  options: StartOptions & { bin: string; name: string; banner?: RegExp },
): Promise<RunningProcess> {
  const { bin, name, args = [], env = process.env, cwd, launcher = [], keepOutput = true } = options;
  const banner = options.banner ?? /listening on (http:\/\/\S+)\s/;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const nodeArgs = [...(bin.endsWith(".ts") ? ["--import", "tsx"] : []), bin, ...args];
  const [command, argv] = launcher.length
    ? [launcher[0]!, [...launcher.slice(1), process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const secrets = secretsOf(args, env);
  const describe = () => redact(`${name} (${[command, ...argv].join(" ")})`, secrets);

  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const seen = { stdout: "", stderr: "" };
    let started = false;
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const printed = () => {
      const text = redact(out, secrets).trim();
      return text ? `; it printed:\n${text}` : "; it printed nothing";
    };
    const listen = (stream: "stdout" | "stderr") => (chunk: Buffer) => {
      if (started && !keepOutput) return; // still drained, so the child never blocks on a full pipe
      out += chunk;
      if (started) return;
      seen[stream] += chunk;
      const match = banner.exec(seen[stream]);
      if (!match) return;
      started = true;
      settled = true;
      clearTimeout(timer);
      child.off("close", onEarlyExit);
      resolve({ url: match[1]!, child, output: () => out, stop: (signal) => stop(child, signal) });
    };
    child.stdout!.on("data", listen("stdout"));
    child.stderr!.on("data", listen("stderr"));
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(
        new Error(
          `${describe()} ${signal ? `was stopped by ${signal}` : `exited with ${code}`} before listening${printed()}`,
        ),
      );
    // "close", not "exit": by then the child's last words (a usage error) are in `out`.
    child.once("close", onEarlyExit);
    // Not spawned at all (no such command): there is no process to clean up.
    child.once("error", (error) => fail(new Error(`${describe()} could not be started: ${error.message}`)));
    const timer = setTimeout(() => {
      if (settled) return;
      child.off("close", onEarlyExit);
      const message = `${describe()} did not say it was listening within ${timeoutMs / 1000} s, so it was killed${printed()}`;
      void stop(child, "SIGKILL").then(() => fail(new Error(message)));
    }, timeoutMs);
  });
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
    child.once("exit", (code) => done(code));
    child.kill(signal);
  });
}

/** Flags of og-mock whose value is a secret (mock-server/cli/args.ts). */
const SECRET_FLAGS = new Set(["--hash-key", "--api-key", "--merchant-hash-key", "--admin-token"]);
/** Environment variables that hold secrets: og-mock's (OG_MOCK_HASH_KEY, ...), og-stock's, any *_TOKEN. */
const SECRET_ENV = /(HASH_KEY|API_KEY|TOKEN|SECRET|PASSWORD)$/;

function secretsOf(args: string[], env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  args.forEach((arg, i) => {
    const eq = arg.indexOf("=");
    if (eq > 0 && SECRET_FLAGS.has(arg.slice(0, eq))) values.push(arg.slice(eq + 1));
    else if (SECRET_FLAGS.has(arg) && args[i + 1] !== undefined) values.push(args[i + 1]!);
  });
  for (const [key, value] of Object.entries(env)) {
    // Comma-separated lists (OG_MOCK_API_KEY) hold several secrets.
    if (value && SECRET_ENV.test(key)) values.push(value, ...value.split(","));
  }
  // Longest first, so a secret that contains another is redacted whole.
  return [...new Set(values.map((v) => v.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
}

function redact(text: string, secrets: string[]): string {
  return secrets.reduce((t, secret) => t.replaceAll(secret, "[redacted]"), text);
}
