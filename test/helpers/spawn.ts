/** Runs the kit's command-line programs from source, as a user would run the installed bins. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type RunningProcess, startOgMock as startOgMockProcess } from "../../mock-server/cli/start-og-mock.js";

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

/** Runs one shell line from the repository's folder, as README's readers type it; -1 for no exit code. */
export function sh(
  line: string,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", line], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

export type Started = RunningProcess;

/**
 * Starts og-mock on a free port and waits for its "listening on" line: from source, or with
 * `bin` (a built JavaScript file, e.g. the bundle that `npm run build` makes) as the installed
 * bin runs. The shipped helper does the work (mock-server/cli/start-og-mock.ts).
 */
export function startOgMock(
  args: string[],
  env: Record<string, string | undefined> = {},
  bin?: string,
): Promise<Started> {
  return startOgMockProcess({
    bin: bin ?? "mock-server/cli/bin.ts",
    args: ["--port", "0", ...args],
    env: { ...process.env, ...env },
    cwd: ROOT,
    timeoutMs: 15_000,
  });
}
