/** Starts og-mock's node:http host (startMockServer) on a free port for one test file, and talks to it over HTTP. */
import { pino } from "pino";
import { afterAll, afterEach, beforeAll } from "vitest";
import { ManualClock } from "../../mock-server/core/clock.js";
import { type RunningMockServer, type ServerOptions, startMockServer } from "../../mock-server/node/server.js";
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import { checkAnswer } from "../../shared/validation/response-validator.js";
import { checkAdminAnswer } from "./admin-spec.js";

export const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };
export const API_KEY = "og-mock-api-key";

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

export interface TestServer {
  readonly url: string;
  readonly clock: ManualClock;
  readonly running: RunningMockServer;
  /** A request with the default HMAC credentials signed at the fake's clock (unless headers override). */
  request(
    method: string,
    path: string,
    init?: {
      body?: unknown;
      raw?: string;
      headers?: Record<string, string | undefined>;
      auth?: "hmac" | "api-key" | "none";
    },
  ): Promise<Answer>;
  patchBatch(
    items: unknown,
    init?: { headers?: Record<string, string | undefined>; auth?: "hmac" | "api-key" | "none" },
  ): Promise<Answer>;
  admin(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Answer>;
}

/**
 * Registers beforeAll/afterAll/afterEach for one server per file; every answer is checked
 * against the spec, so each test also proves the fake's answers are as documented.
 */
export function useMockServer(options: ServerOptions = {}): TestServer {
  const clock = new ManualClock();
  let running: RunningMockServer | undefined;
  beforeAll(async () => {
    // Quiet: the fake's once-per-field warnings about unknown fields are tested where they matter.
    running = await startMockServer({ port: 0, clock, logger: pino({ level: "silent" }), ...options });
  });
  afterEach(() => running?.merchants.reset());
  afterAll(async () => running?.close());

  const server: TestServer = {
    get url() {
      return running!.url;
    },
    clock,
    get running() {
      return running!;
    },
    async request(method, path, init = {}) {
      const headers: Record<string, string> = {};
      const auth = init.auth ?? "hmac";
      if (auth === "hmac") Object.assign(headers, signedHeaders(CREDS, unixSeconds(clock.now())));
      if (auth === "api-key") headers["x-api-key"] = API_KEY;
      if (init.body !== undefined || init.raw !== undefined) headers["content-type"] = "application/json";
      for (const [k, v] of Object.entries(init.headers ?? {})) {
        if (v === undefined) delete headers[k];
        else headers[k] = v;
      }
      const text = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
      // Bytes, not a string: fetch would add "text/plain" to a string body sent without content-type.
      const body = text === undefined ? undefined : new TextEncoder().encode(text);
      const res = await fetch(`${running!.url}${path}`, { method, headers, body });
      const answer = await read(res);
      if (!path.startsWith("/__admin")) {
        const problems = checkAnswer({
          method,
          path,
          status: answer.status,
          headers: answer.headers,
          body: answer.body,
        });
        if (problems.length) throw new Error(`The fake's answer breaks the spec:\n${problems.join("\n")}`);
      }
      return answer;
    },
    patchBatch(items, init = {}) {
      return server.request("PATCH", "/products-batch/update/", { body: items, ...init });
    },
    async admin(method, path, body, headers = {}) {
      const res = await fetch(`${running!.url}/__admin/${path}`, {
        method,
        headers: { ...(body === undefined ? {} : { "content-type": "application/json" }), ...headers },
        body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
      });
      const answer = await read(res);
      // Every admin answer is checked against spec/admin.openapi.yaml.
      const problems = checkAdminAnswer(method, `/__admin/${path}`, answer.status, answer.body);
      if (problems.length) throw new Error(`The admin answer breaks spec/admin.openapi.yaml:\n${problems.join("\n")}`);
      return answer;
    },
  };
  return server;
}

async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: Object.fromEntries(res.headers), body, text };
}
