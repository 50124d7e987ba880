/**
 * The dashboard's files and its sign-in, over real HTTP against a fake with an admin token:
 * nothing but the sign-in page without the token, a cookie (not the token) after signing in,
 * and files that work offline (nothing fetched from elsewhere).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adminCookieValue } from "../../mock-server/core/admin/admin-token.js";
import { useMockServer } from "../helpers/mock-server.js";
import { ROOT } from "../helpers/spawn.js";

const TOKEN = "s3cret-admin-token";
const og = useMockServer({ adminToken: TOKEN });
const ASSETS = join(ROOT, "mock-server/ui/assets");

const get = (path: string, headers: Record<string, string> = {}, init: RequestInit = {}) =>
  fetch(`${og.url}${path}`, { redirect: "manual", headers, ...init });

async function signIn(): Promise<string> {
  const res = await get(
    "/__admin/ui/login",
    { "content-type": "application/x-www-form-urlencoded" },
    {
      method: "POST",
      body: `token=${encodeURIComponent(TOKEN)}`,
    },
  );
  expect(res.status).toBe(303);
  const cookie = res.headers.get("set-cookie")!;
  return cookie.split(";")[0]!;
}

describe("the dashboard behind an admin token", () => {
  it("shows only the sign-in page until the token is given", async () => {
    const page = await get("/__admin/ui/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await page.text();
    expect(html).toContain('<form method="post" action="/__admin/ui/login">');
    expect(html).not.toContain("app.js");
    const file = await get("/__admin/ui/app.js");
    expect(file.status).toBe(401);
    expect(await file.text()).not.toContain("import");
    expect((await get("/__admin/journal/stream")).status).toBe(401);
    expect((await get("/__admin/catalog")).status).toBe(401);
  });

  it("signs in with the form: an HttpOnly, SameSite=Strict cookie that is not the token", async () => {
    const res = await get(
      "/__admin/ui/login",
      { "content-type": "application/x-www-form-urlencoded" },
      {
        method: "POST",
        body: `token=${encodeURIComponent(TOKEN)}`,
      },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/__admin/ui/");
    const cookie = res.headers.get("set-cookie")!;
    // Named after the port, an HMAC under a per-run secret, expiring.
    expect(cookie).toBe(
      `og_admin_${og.running.port}=${adminCookieValue(TOKEN)}; Path=/__admin; Max-Age=43200; HttpOnly; SameSite=Strict`,
    );
    expect(cookie).not.toContain(TOKEN);
    const jar = cookie.split(";")[0]!;
    expect((await get("/__admin/ui/", { cookie: jar })).status).toBe(200);
    expect((await get("/__admin/ui/app.js", { cookie: jar })).status).toBe(200);
    expect((await get("/__admin/health", { cookie: jar })).status).toBe(200);
    const stream = await get("/__admin/journal/stream", { cookie: jar });
    expect(stream.status).toBe(200);
    await stream.body!.cancel();
  });

  it("signs in with a ?token= link and drops the token from the address", async () => {
    const res = await get(`/__admin/ui?token=${TOKEN}`);
    expect(res.status).toBe(308);
    expect(res.headers.get("location")).toBe(`/__admin/ui/?token=${TOKEN}`);
    const signed = await get(`/__admin/ui/?token=${TOKEN}`);
    expect(signed.status).toBe(303);
    expect(signed.headers.get("location")).toBe("/__admin/ui/");
    expect(signed.headers.get("set-cookie")).toContain(`og_admin_${og.running.port}=${adminCookieValue(TOKEN)}`);
  });

  it("refuses a wrong token or cookie, and never answers with the token", async () => {
    const wrong = await get(
      "/__admin/ui/login",
      { "content-type": "application/x-www-form-urlencoded" },
      {
        method: "POST",
        body: "token=guess",
      },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("That is not the admin token.");
    expect((await get("/__admin/ui/?token=guess")).status).toBe(401);
    const guessed = await get("/__admin/ui/", { cookie: `og_admin_${og.running.port}=guess` });
    expect(await guessed.text()).toContain("Enter it to open the dashboard.");
    expect((await get("/__admin/ui/app.js", { cookie: `og_admin_${og.running.port}=guess` })).status).toBe(401);
    expect((await get("/__admin/health", { cookie: `og_admin_${og.running.port}=${TOKEN}` })).status).toBe(401);
    const jar = await signIn();
    for (const path of ["/__admin/ui/", ...readdirSync(ASSETS).map((f) => `/__admin/ui/${f}`)]) {
      const res = await get(path, { cookie: jar });
      expect(await res.text(), path).not.toContain(TOKEN);
      expect([...res.headers.values()].join(" "), path).not.toContain(TOKEN);
    }
  });
});

describe("the dashboard's files", () => {
  it("are served with their types and a strict content security policy", async () => {
    const jar = await signIn();
    const types: Record<string, string> = {
      "index.html": "text/html; charset=utf-8",
      "app.js": "text/javascript; charset=utf-8",
      "style.css": "text/css; charset=utf-8",
    };
    for (const [file, type] of Object.entries(types)) {
      const res = await get(`/__admin/ui/${file}`, { cookie: jar });
      expect(res.status, file).toBe(200);
      expect(res.headers.get("content-type"), file).toBe(type);
      expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(await res.text()).toBe(readFileSync(join(ASSETS, file), "utf8"));
    }
    const head = await get("/__admin/ui/app.js", { cookie: jar }, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect((await get("/__admin/ui/nope.js", { cookie: jar })).status).toBe(404);
    expect((await get("/__admin/ui/%2e%2e/%2e%2e/package.json", { cookie: jar })).status).toBe(404);
    expect((await get("/__admin/ui/", { cookie: jar }, { method: "DELETE" })).status).toBe(405);
  });

  it("work offline: nothing is loaded from another origin, and every module they import is served", () => {
    const files = readdirSync(ASSETS);
    for (const file of files) {
      const text = readFileSync(join(ASSETS, file), "utf8");
      expect(text, file).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      expect(text, file).not.toMatch(/from\s+["'](?!\.\/)/);
      for (const [, imported] of text.matchAll(/from\s+["']\.\/([^"']+)["']/g)) expect(files).toContain(imported);
    }
  });
});
