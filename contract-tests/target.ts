/**
 * Which server the contract suite talks to, chosen only by configuration:
 *   OG_CONTRACT_TARGET=mock (default)   start the fake as a separate process, seeded for the suite
 *   OG_CONTRACT_TARGET=sandbox          Ordergroove's staging API
 *   OG_CONTRACT_TARGET=https://...      any base URL
 * Credentials: OG_PUBLIC_ID + OG_SIG_FIELD + OG_HASH_KEY (HMAC) and/or OG_API_KEY.
 * Products to touch: OG_CONTRACT_PRODUCT_IDS (two existing ids, comma-separated; read, changed, restored).
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startOgMock } from "../mock-server/cli/start-og-mock.js";
import type { Credentials } from "../src/client/config.js";
import { describeConnectionFailure, shownUrl } from "../src/client/connection-failure.js";

export const PRODUCTION = "https://restapi.ordergroove.com";
export const SANDBOX = "https://staging.restapi.ordergroove.com";

export interface Target {
  kind: "mock" | "remote";
  baseUrl: string;
  /** HMAC credentials, when the target has them (every HMAC clause needs them). */
  hmac?: Extract<Credentials, { kind: "hmac" }>;
  apiKey?: string;
  /** The credentials the suite uses for its own valid requests. */
  credentials: Credentials;
  /** Existing products the suite may toggle and must restore. */
  productIds: [string, string];
  stop(): Promise<void>;
}

export class TargetError extends Error {
  override name = "TargetError";
}

/**
 * What is wrong with the target's configuration, in one line, or undefined when it is complete.
 * og-contract asks this before it starts the suite, so a missing credential is a usage error
 * (exit 64), not a broken clause buried in a test report.
 */
export function targetProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if ((env.OG_CONTRACT_TARGET || "mock") === "mock") return undefined;
  try {
    remoteConfig(env);
    return undefined;
  } catch (error) {
    if (error instanceof TargetError) return error.message;
    throw error;
  }
}

/** og-contract's exit code when the target cannot be reached at all (sysexits' EX_UNAVAILABLE, as 64 is EX_USAGE). */
export const UNREACHABLE_EXIT = 69;

/**
 * One line when a remote target gives no HTTP answer at all (no network, a wrong host, nothing
 * listening), else undefined. Any answer, even a 404 or a 401, means it can be reached. Asked
 * before the suite runs: otherwise every clause fails with the same stack, and exit 1 says "a
 * clause broke" about a server that was never heard from.
 */
export async function unreachableProblem(
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 10_000,
): Promise<string | undefined> {
  if ((env.OG_CONTRACT_TARGET || "mock") === "mock") return undefined;
  const { baseUrl } = remoteConfig(env);
  try {
    // HEAD of the base URL: no credentials, nothing changed; the status does not matter.
    const answer = await fetch(`${baseUrl}/`, {
      method: "HEAD",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
    });
    await answer.body?.cancel();
    return undefined;
  } catch (error) {
    const why =
      (error as Error | null)?.name === "TimeoutError"
        ? `no answer within ${timeoutMs / 1000} s`
        : describeConnectionFailure(error);
    return `Failed to reach the target ${shownUrl(baseUrl)}: ${why}. No clause was run. Check the network and the target (--target or OG_CONTRACT_TARGET).`;
  }
}

export async function resolveTarget(env: NodeJS.ProcessEnv = process.env): Promise<Target> {
  const target = env.OG_CONTRACT_TARGET || "mock";
  if (target === "mock") return startFake();
  return { kind: "remote", ...remoteConfig(env), stop: async () => {} };
}

function remoteConfig(env: NodeJS.ProcessEnv) {
  const target = env.OG_CONTRACT_TARGET || "mock";
  const baseUrl = (target === "sandbox" || target === "staging" ? SANDBOX : target).replace(/\/+$/, "");
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new TargetError(`OG_CONTRACT_TARGET must be mock, sandbox or a base URL; got ${JSON.stringify(target)}.`);
  }
  if (new URL(baseUrl).host === new URL(PRODUCTION).host && env.OG_CONTRACT_ALLOW_PRODUCTION !== "yes") {
    throw new TargetError(
      `Refusing to run the contract suite against production (${PRODUCTION}): it changes products. Use the sandbox, or set OG_CONTRACT_ALLOW_PRODUCTION=yes if you really mean it.`,
    );
  }
  const hmac =
    env.OG_PUBLIC_ID && env.OG_SIG_FIELD && env.OG_HASH_KEY
      ? { kind: "hmac" as const, publicId: env.OG_PUBLIC_ID, sigField: env.OG_SIG_FIELD, hashKey: env.OG_HASH_KEY }
      : undefined;
  const apiKey = env.OG_API_KEY || undefined;
  if (!hmac && !apiKey) {
    throw new TargetError(
      "No credentials for the target: set OG_PUBLIC_ID, OG_SIG_FIELD and OG_HASH_KEY, and/or OG_API_KEY.",
    );
  }
  const ids = (env.OG_CONTRACT_PRODUCT_IDS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length < 2) {
    throw new TargetError(
      "Set OG_CONTRACT_PRODUCT_IDS to two existing product ids (comma-separated): the suite reads, toggles and restores them.",
    );
  }
  return {
    baseUrl,
    ...(hmac ? { hmac } : {}),
    ...(apiKey ? { apiKey } : {}),
    credentials: hmac ?? ({ kind: "api-key", apiKey: apiKey! } as const),
    productIds: [ids[0]!, ids[1]!] as [string, string],
  };
}

const FAKE_CREDENTIALS = {
  publicId: "contract-merchant",
  sigField: "contract-api-user",
  hashKey: "contract-hash-key",
  apiKey: "contract-api-key",
};
const SEED = [
  { product_id: "contract-coffee", name: "Contract coffee", price: "10.00", live: true },
  { product_id: "contract-tea", name: "Contract tea", price: "5.00", live: true },
];

/** Starts the standalone fake (compiled when installed, from source in this repo) on a free port. */
async function startFake(): Promise<Target> {
  const dir = await mkdtemp(join(tmpdir(), "og-contract-"));
  const catalog = join(dir, "catalog.json");
  await writeFile(catalog, JSON.stringify(SEED));
  let fake: Awaited<ReturnType<typeof startOgMock>>;
  try {
    fake = await startOgMock({
      args: [
        "--port",
        "0",
        "--catalog",
        catalog,
        "--public-id",
        FAKE_CREDENTIALS.publicId,
        "--sig-field",
        FAKE_CREDENTIALS.sigField,
        "--hash-key",
        FAKE_CREDENTIALS.hashKey,
        "--api-key",
        FAKE_CREDENTIALS.apiKey,
        "--log-level",
        "warn",
        // og-contract --profile: the fake calibrated as that profile says (og-mock checks the file).
        ...(process.env.OG_CONTRACT_PROFILE ? ["--profile", process.env.OG_CONTRACT_PROFILE] : []),
      ],
      // The fake is configured by these flags alone: an OG_MOCK_* of the shell must not change it.
      env: withoutOgMockEnv(process.env),
      timeoutMs: 15_000,
    });
  } catch (error) {
    throw new TargetError(`The fake did not start: ${(error as Error).message}`);
  }
  const { apiKey, ...hmac } = FAKE_CREDENTIALS;
  return {
    kind: "mock",
    baseUrl: fake.url,
    hmac: { kind: "hmac", ...hmac },
    apiKey,
    credentials: { kind: "hmac", ...hmac },
    productIds: ["contract-coffee", "contract-tea"],
    stop: async () => {
      await fake.stop();
    },
  };
}

function withoutOgMockEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith("OG_MOCK_")));
}
