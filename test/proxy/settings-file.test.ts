/**
 * og-mock --upstream reads the merchant's credentials as og-contract does (issue 37, point 3:
 * "the same settings og-contract reads"): the environment first, then `--env-file FILE` or
 * `./.env` in the folder it runs in. Over real HTTP, against a local upstream that records what
 * reaches it: a request signed with the wrong key is refused before forwarding, a right one is
 * forwarded. Without --upstream no settings file is read at all.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCli } from "../../mock-server/cli/args.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { UsageError } from "../../shared/flags/flags.js";
import { type RogueUpstream, signedPatchThrough, startRogueUpstream } from "./upstreams.js";

const MERCHANT = { publicId: "env-shop", sigField: "env-api-user", hashKey: "S3CRET-env-file-hash-key" };
const SHELL_KEY = "S3CRET-shell-hash-key";
const DOT_ENV = `# as contract-tests/sandbox.env.example, filled in
OG_CONTRACT_TARGET=sandbox
OG_PUBLIC_ID=${MERCHANT.publicId}
OG_SIG_FIELD=${MERCHANT.sigField}
OG_HASH_KEY=${MERCHANT.hashKey}
OG_API_KEY=
`;

let rogue: RogueUpstream;
const servers: RunningMockServer[] = [];
beforeAll(async () => {
  rogue = await startRogueUpstream();
});
afterAll(async () => Promise.all([rogue, ...servers].map((s) => s.close())));

/** A folder holding these files, for og-mock to run in. */
function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "og-mock-env-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function cli(argv: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const parsed = parseCli(argv, env, cwd);
  if (parsed === "help") throw new Error("help");
  return parsed;
}

/** og-mock as its command line in `cwd` configures it, listening. */
async function proxyIn(cwd: string, env: NodeJS.ProcessEnv = {}, argv: string[] = []) {
  const { options } = cli(["--upstream", rogue.url, ...argv], env, cwd);
  const server = await startMockServer({ port: 0, logger: pino({ level: "silent" }), proxy: options.proxy });
  servers.push(server);
  return { server, signatures: options.proxy!.signatures };
}

function patch(base: string, hashKey: string) {
  return signedPatchThrough(base, MERCHANT, hashKey, rogue);
}

describe("3. og-mock --upstream reads og-contract's settings file", () => {
  it("with the credentials only in ./.env: refuses the wrong key before forwarding, forwards the right one", async () => {
    const { server, signatures } = await proxyIn(folder({ ".env": DOT_ENV }));
    const wrong = await patch(server.url, "S3CRET-wrong-key");
    expect(wrong).toMatchObject({ status: 403, source: "proxy", forwarded: false });
    expect(wrong.hint).toContain("Signature mismatch");
    expect(await patch(server.url, MERCHANT.hashKey)).toMatchObject({ source: "real", forwarded: true });
    expect(signatures).toBe("verifying signatures with OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY from .env");
  });

  it("the environment wins over the file", async () => {
    const { server, signatures } = await proxyIn(folder({ ".env": DOT_ENV }), { OG_HASH_KEY: SHELL_KEY });
    expect(await patch(server.url, MERCHANT.hashKey)).toMatchObject({ source: "proxy", forwarded: false });
    expect(await patch(server.url, SHELL_KEY)).toMatchObject({ source: "real", forwarded: true });
    expect(signatures).toBe(
      "verifying signatures with OG_PUBLIC_ID, OG_SIG_FIELD from .env and OG_HASH_KEY from the environment",
    );
  });

  it("an empty variable in the environment turns the file's setting off, as for og-contract", async () => {
    const { server, signatures } = await proxyIn(folder({ ".env": DOT_ENV }), { OG_HASH_KEY: "" });
    // Nothing to verify the signature with: any key passes on to the upstream's judgement.
    expect(await patch(server.url, "S3CRET-any-key")).toMatchObject({ source: "real", forwarded: true });
    expect(signatures).toContain("not verified, only the headers' shape and age are checked");
    expect(signatures).toContain("OG_PUBLIC_ID, OG_SIG_FIELD from .env but no OG_HASH_KEY");
  });

  it("reads --env-file FILE instead of ./.env", async () => {
    const dir = folder({ ".env": DOT_ENV.replace(MERCHANT.hashKey, "S3CRET-not-this-one"), "sandbox.env": DOT_ENV });
    const { server, signatures } = await proxyIn(dir, {}, ["--env-file", "sandbox.env"]);
    expect(await patch(server.url, MERCHANT.hashKey)).toMatchObject({ source: "real", forwarded: true });
    expect(await patch(server.url, "S3CRET-not-this-one")).toMatchObject({ source: "proxy", forwarded: false });
    expect(signatures).toBe("verifying signatures with OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY from sandbox.env");
  });

  it("takes only the credentials from the file: OG_CONTRACT_TARGET and OG_MOCK_* configure nothing", () => {
    const dir = folder({ ".env": `${DOT_ENV}OG_MOCK_FORWARD_INVALID=1\nOG_MOCK_UPSTREAM=https://example.com\n` });
    const { options } = cli(["--upstream", rogue.url], {}, dir);
    expect(options.proxy?.target.origin).toBe(rogue.url);
    expect(options.proxy?.forwardInvalid).toBeUndefined();
    expect(cli([], {}, dir).options.proxy).toBeUndefined();
  });

  it("without credentials anywhere, says that only the shape is checked and how to give them", async () => {
    const { signatures } = await proxyIn(folder({ ".env": "OG_CONTRACT_TARGET=sandbox\n" }));
    expect(signatures).toBe(
      "not verified, only the headers' shape and age are checked (.env read: no merchant credential in it); to verify them, set OG_PUBLIC_ID, OG_SIG_FIELD and OG_HASH_KEY (or OG_API_KEY) in the environment or ./.env as for og-contract, or give --env-file FILE",
    );
    expect((await proxyIn(folder({}))).signatures).toMatch(/^not verified, .*; to verify them, set OG_PUBLIC_ID/);
  });

  it("with --merchants too, names both: whichever holds a request's key verifies it", () => {
    const merchants = JSON.stringify({
      merchants: [{ publicId: "file-shop", apiUsers: [{ sigField: "file-api", hashKey: "S3CRET-file-key" }] }],
    });
    const dir = folder({ ".env": DOT_ENV, "merchants.json": merchants });
    const { options } = cli(["--upstream", rogue.url, "--merchants", join(dir, "merchants.json")], {}, dir);
    expect(options.proxy?.signatures).toBe(
      "verifying signatures with OG_PUBLIC_ID, OG_SIG_FIELD, OG_HASH_KEY from .env, and each merchant's credentials from --merchants (whichever holds the key a request was made with)",
    );
  });

  it("names og-mock's own options when they are what it verifies with", async () => {
    const { signatures } = await proxyIn(folder({}), { OG_MOCK_HASH_KEY: "S3CRET-own" }, ["--sig-field", "u"]);
    expect(signatures).toBe("verifying signatures with --sig-field, OG_MOCK_HASH_KEY");
  });
});

describe("3. a settings file og-mock cannot use is bad usage, and says which line, never what it holds", () => {
  it("a --env-file that does not exist", () => {
    const dir = folder({});
    expect(() => cli(["--upstream", rogue.url, "--env-file", "missing.env"], {}, dir)).toThrow(
      new UsageError(
        `Failed to read the settings file missing.env: no such file. Check the path (a relative one starts at ${dir}).`,
      ),
    );
  });

  it("a line that is not NAME=value, or a quote that never closes", () => {
    const slip = folder({ "slip.env": `OG_PUBLIC_ID=shop\nOG_SIG_FIELD ${MERCHANT.sigField}\nOG_HASH_KEY=k\n` });
    const error = (() => {
      try {
        cli(["--upstream", rogue.url, "--env-file", "slip.env"], {}, slip);
      } catch (e) {
        return e as Error;
      }
      throw new Error("accepted");
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      "Failed to read the settings file slip.env: line 2 is not NAME=value (a comment starts with #). Fix the file there.",
    );
    const open = folder({ ".env": `OG_HASH_KEY="${MERCHANT.hashKey}\nOG_API_KEY=k\n` });
    expect(() => cli(["--upstream", rogue.url], {}, open)).toThrow(
      new UsageError(
        'Failed to read the settings file .env: the value on line 1 opens a quote (") that never closes. Close it, or remove the quote.',
      ),
    );
  });

  it("a quoted value over several lines is one value", () => {
    const dir = folder({ ".env": `OG_NOTE="one\ntwo"\nOG_API_KEY='S3CRET-key'\n` });
    expect(cli(["--upstream", rogue.url], {}, dir).options.proxy?.merchantCredentials?.apiKeys).toEqual(["S3CRET-key"]);
  });

  it("without --upstream: no settings file is read, a broken one included, and --env-file is refused", () => {
    const broken = folder({ ".env": "this is not a settings file\n" });
    expect(cli([], {}, broken).options.proxy).toBeUndefined();
    expect(() => cli(["--env-file", "x.env"], {}, broken)).toThrow(/--env-file only works with --upstream/);
  });
});
