/** Runs the kit's command-line programs from source, as a user would run the installed bins. */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = ["--import", "tsx"];

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a TypeScript entry point to completion. */
export function run(
  entry: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; input?: string; timeoutMs?: number } = {},
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TSX, entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${entry} ${args.join(" ")} did not finish in time.\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

export interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts og-mock and waits for its "listening on" line: from source, or with `bin` (a built
 * JavaScript file, e.g. the bundle that `npm run build` makes) as the installed bin runs.
 */
export function startOgMock(
  args: string[],
  env: Record<string, string | undefined> = {},
  bin?: string,
): Promise<Started> {
  return new Promise((resolve, reject) => {
    const entry = bin ? [bin] : [...TSX, "mock-server/cli/bin.ts"];
    const child = spawn(process.execPath, [...entry, "--port", "0", ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d;
      const m = /og-mock listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        child.stdout.off("data", onData);
        child.stdout.on("data", (more) => {
          out += more;
        });
        resolve({
          child,
          url: m[1]!,
          output: () => out,
          stop: (signal = "SIGTERM") =>
            new Promise((done) => {
              if (child.exitCode !== null) return done(child.exitCode);
              child.once("exit", (code) => done(code));
              child.kill(signal);
            }),
        });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (d) => {
      out += d;
    });
    child.once("exit", (code) => reject(new Error(`og-mock exited with ${code} before listening:\n${out}`)));
    setTimeout(() => reject(new Error(`og-mock did not start in time:\n${out}`)), 15_000);
  });
}
