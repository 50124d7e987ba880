// og-contract's settings: .env and --env-file, the target asked for, and what it says before it runs.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseTarget, describeSettings } from "../../contract-tests/settings.js";
import { loadEnvFile } from "../../shared/flags/env-file.js";
import { UsageError } from "../../shared/flags/flags.js";

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "og-contract-env-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const SANDBOX_ENV =
  "OG_CONTRACT_TARGET=sandbox\nOG_PUBLIC_ID=m\nOG_SIG_FIELD=u\nOG_HASH_KEY=secret-hash-key\nOG_API_KEY=\n";

describe("og-contract reads .env", () => {
  it("takes ./.env where the environment is silent, and the environment wins", () => {
    const env: NodeJS.ProcessEnv = { OG_PUBLIC_ID: "from-shell" };
    const file = loadEnvFile(undefined, env, folder({ ".env": SANDBOX_ENV }));
    expect(file.file).toBe(".env");
    expect(env.OG_CONTRACT_TARGET).toBe("sandbox");
    expect(env.OG_PUBLIC_ID).toBe("from-shell");
    expect(file.loaded.has("OG_PUBLIC_ID")).toBe(false);
    expect(file.loaded.has("OG_HASH_KEY")).toBe(true);
  });

  it("reads --env-file FILE, and refuses one that does not exist", () => {
    const dir = folder({ "sandbox.env": SANDBOX_ENV });
    const env: NodeJS.ProcessEnv = {};
    expect(loadEnvFile("sandbox.env", env, dir).file).toBe("sandbox.env");
    expect(env.OG_SIG_FIELD).toBe("u");
    expect(() => loadEnvFile("missing.env", {}, dir)).toThrow(
      new UsageError(
        `Failed to read the settings file missing.env: no such file. Check the path (a relative one starts at ${dir}).`,
      ),
    );
  });

  it("refuses a malformed file, naming the line and quoting nothing: parseEnv would glue it to the next name", () => {
    const dir = folder({ ".env": "OG_PUBLIC_ID=m\nOG_SIG_FIELD u\nOG_HASH_KEY=secret-hash-key\n" });
    const env: NodeJS.ProcessEnv = {};
    expect(() => loadEnvFile(undefined, env, dir)).toThrow(
      new UsageError(
        "Failed to read the settings file .env: line 2 is not NAME=value (a comment starts with #). Fix the file there.",
      ),
    );
    expect(env).toEqual({});
  });

  it("reads nothing without a .env", () => {
    expect(loadEnvFile(undefined, {}, folder({})).file).toBeUndefined();
  });
});

describe("the target asked for", () => {
  it("refuses a misspelled target from .env, naming the file, instead of testing the fake", () => {
    const env: NodeJS.ProcessEnv = {};
    const file = loadEnvFile(undefined, env, folder({ ".env": "OG_CONTRACT_TARGET=sandbx\n" }));
    expect(() => chooseTarget(undefined, env, file)).toThrow(
      'OG_CONTRACT_TARGET from .env must be mock, sandbox or a base URL (https://…); got "sandbx". Did you mean sandbox?',
    );
  });

  it.each([
    ["127.0.0.1:8787", "http://127.0.0.1:8787"],
    ["localhost:8787", "http://localhost:8787"],
    ["og-proxy.internal.example", "https://og-proxy.internal.example"],
  ])("suggests the URL a host and port %s miss", (typed, url) => {
    expect(() => chooseTarget(typed, {}, { loaded: new Set<string>() })).toThrow(
      `--target must be mock, sandbox or a base URL (https://…); got "${typed}". Did you mean ${url}?`,
    );
  });

  it("names --target when the flag was typed, even an empty one", () => {
    const none = { loaded: new Set<string>() };
    expect(() => chooseTarget("sandbx", { OG_CONTRACT_TARGET: "sandbox" }, none)).toThrow(/^--target must be/);
    expect(() => chooseTarget("", {}, none)).toThrow(/^--target must be .*got ""/);
    expect(chooseTarget(undefined, {}, none)).toBe("mock");
    expect(chooseTarget("https://og.example", {}, none)).toBe("https://og.example");
  });

  it("says which target and which credential kinds, with their sources, never a value", () => {
    const env: NodeJS.ProcessEnv = { OG_API_KEY: "shell-api-key" };
    const file = loadEnvFile(undefined, env, folder({ ".env": SANDBOX_ENV }));
    const text = describeSettings(chooseTarget(undefined, env, file), env, file).join("\n");
    expect(text).toContain("read .env (4 setting(s) taken; the environment's own values win)");
    expect(text).toContain(
      "target sandbox (https://staging.restapi.ordergroove.com); credentials: HMAC (OG_PUBLIC_ID from .env, OG_SIG_FIELD from .env, OG_HASH_KEY from .env) and API key (OG_API_KEY)",
    );
    expect(text).not.toMatch(/secret-hash-key|shell-api-key/);
  });

  it("says when credentials are set but the target is the fake", () => {
    const env = { OG_API_KEY: "k" };
    expect(describeSettings("mock", env, { loaded: new Set() }).join("\n")).toContain("does not use them");
  });
});
