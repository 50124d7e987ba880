/**
 * What og-mock prints once it listens: the URL, the credentials (secrets only when they are the
 * fake's own defaults) and a curl that succeeds.
 */
import { signedHeaders, unixSeconds } from "../../shared/auth/signature.js";
import type { OrdergrooveMock } from "../core/mock.js";
import { DEFAULT_CREDENTIALS } from "../core/options.js";
import { DEFAULT_ANSWER, DEFAULT_AUTH_POLICY, DEFAULT_BEHAVIOUR, DEFAULT_THROTTLE } from "../core/settings.js";
import type { startMockServer } from "../node/server.js";

/** Several merchants: ids and counts only; the keys come from the user's file and are never printed. */
export function merchantsBanner(
  url: string,
  summaries: ReturnType<RunningMerchants["summaries"]>,
  adminToken: boolean,
): string {
  const lines = [`og-mock listening on ${url}`, `  merchants:    ${summaries.length}`];
  for (const m of summaries) {
    const users = m.apiUsers.length ? `API users ${m.apiUsers.join(", ")}` : "no API user";
    lines.push(`    ${m.publicId}: ${count(m.products, "product")}, ${users}, ${m.apiKeys} API key(s)`);
  }
  lines.push(
    "",
    `Admin API: ${url}/__admin/merchants lists them; select one on any admin route with ?merchant=<public_id>`,
    "or the x-og-merchant header (default: the first).",
    `Dashboard: ${url}/__admin/ui/${adminToken ? " (sign in with the admin token you gave)" : ""}. Ctrl-C stops.`,
    "",
  );
  return `${lines.join("\n")}\n`;
}

type RunningMerchants = Awaited<ReturnType<typeof startMockServer>>["merchants"];

export function banner(
  url: string,
  credentials: { publicId: string; apiUsers: { sigField: string; hashKey: string }[]; apiKeys: string[] },
  given: Set<string>,
  products: number,
  adminToken: boolean,
): string {
  const user = credentials.apiUsers[0];
  // Print a secret only when it is the fake's own default; keys the user gave never appear.
  const hashKey = given.has("hash-key") ? "(the hash key you gave)" : user?.hashKey;
  const apiKey = given.has("api-key") ? undefined : credentials.apiKeys[0];
  const lines = [
    `og-mock listening on ${url}`,
    `  catalog:      ${count(products, "product")} (GET ${url}/__admin/products)`,
    `  merchant:     public_id ${credentials.publicId}`,
  ];
  if (user) lines.push(`  API user:     sig_field ${user.sigField}, hash key ${hashKey}`);
  if (credentials.apiKeys.length)
    lines.push(`  x-api-key:    ${apiKey ?? `(${credentials.apiKeys.length} key(s) you gave)`}`);
  const body = `'[{"product_id": "og-coffee-beans-1kg", "live": false}]'`;
  if (apiKey) {
    lines.push(
      "",
      "Try it (API key):",
      `  curl -sS -X PATCH ${url}/products-batch/update/ -H 'content-type: application/json' -H 'x-api-key: ${apiKey}' -d ${body}`,
    );
  }
  if (user && !given.has("hash-key") && credentials.publicId === DEFAULT_CREDENTIALS.publicId) {
    const headers = signedHeaders(
      { publicId: credentials.publicId, sigField: user.sigField, hashKey: user.hashKey },
      unixSeconds(Date.now()),
    );
    lines.push(
      "",
      "Try it (HMAC-signed, valid for 2 hours; `og-stock sign` makes a fresh header):",
      `  curl -sS -X PATCH ${url}/products-batch/update/ -H 'content-type: application/json' -H 'og-authorization: True' -H '${`authorization: ${headers.authorization}`}' -d ${body}`,
    );
  }
  lines.push(
    "",
    `Dashboard: ${url}/__admin/ui/${adminToken ? " (sign in with the admin token you gave)" : ""}`,
    `Admin API: ${url}/__admin/health, /__admin/products, /__admin/journal, /__admin/faults, /__admin/reset. Ctrl-C stops.`,
    "",
  );
  return `${lines.join("\n")}\n`;
}

/** "1 product", "24 products". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * The banner's line for settings that are not the defaults (`--form list --status 200`, a
 * profile, OG_MOCK_*), or "" when all are: a fake that answers differently from the docs' examples
 * says so where its user looks first.
 */
export function settingsLine(mock: OrdergrooveMock): string {
  const changed: string[] = [];
  const answer = mock.answer;
  for (const key of ["batchStatus", "batchForm"] as const)
    if (answer[key] !== DEFAULT_ANSWER[key]) changed.push(`answer.${key}=${answer[key]}`);
  const failureStatus = mock.options.auth.failureStatus;
  if (failureStatus !== DEFAULT_AUTH_POLICY.failureStatus) changed.push(`auth.failureStatus=${failureStatus}`);
  const throttle = mock.throttle;
  if (throttle === false) changed.push("throttle=off");
  else if (throttle.limit !== DEFAULT_THROTTLE.limit || throttle.windowMs !== DEFAULT_THROTTLE.windowMs)
    changed.push(`throttle=${throttle.limit} per ${throttle.windowMs / 1000} s`);
  const behaviour = mock.behaviour;
  for (const key of Object.keys(DEFAULT_BEHAVIOUR) as Array<keyof typeof DEFAULT_BEHAVIOUR>)
    if (behaviour[key] !== DEFAULT_BEHAVIOUR[key]) changed.push(`behaviour.${key}=${behaviour[key]}`);
  if (changed.length === 0) return "";
  return `  settings:     ${changed.join(", ")} (not the defaults; GET /__admin/settings shows all)\n`;
}
