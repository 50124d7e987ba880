/** Where the client sends requests and how it proves who it is. */
import { Secret } from "./secret.js";

export const ENVIRONMENTS = {
  production: "https://restapi.ordergroove.com",
  staging: "https://staging.restapi.ordergroove.com",
} as const;

export type EnvironmentName = keyof typeof ENVIRONMENTS;

/** `production`, `staging` (the sandbox) or a base URL such as the local fake's. No default: choose. */
export type Environment = EnvironmentName | { baseUrl: string };

export type Credentials =
  | { kind: "hmac"; publicId: string; sigField: string; hashKey: string; trustLevel?: string }
  | { kind: "api-key"; apiKey: string };

/** Credentials as the client keeps them: secrets wrapped so they never print. */
export type HeldCredentials =
  | { kind: "hmac"; publicId: string; sigField: string; hashKey: Secret; trustLevel?: string | undefined }
  | { kind: "api-key"; apiKey: Secret };

export class ConfigError extends Error {
  override name = "ConfigError";
}

export function resolveBaseUrl(environment: Environment | undefined): string {
  if (environment === undefined) {
    throw new ConfigError(
      'Failed to create the Ordergroove client: no environment. Pass environment: "staging", "production" or { baseUrl: "http://127.0.0.1:8787" }; the client never defaults to production.',
    );
  }
  if (typeof environment === "string") {
    const url = ENVIRONMENTS[environment];
    if (!url) {
      throw new ConfigError(
        `Failed to create the Ordergroove client: unknown environment ${JSON.stringify(environment)}; use "production", "staging" or { baseUrl }.`,
      );
    }
    return url;
  }
  let url: URL;
  try {
    url = new URL(environment.baseUrl);
  } catch {
    throw new ConfigError(
      `Failed to create the Ordergroove client: baseUrl ${JSON.stringify(environment.baseUrl)} is not a URL.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(
      `Failed to create the Ordergroove client: baseUrl must be http or https; got ${url.protocol}`,
    );
  }
  return url.href.replace(/\/+$/, "");
}

export function holdCredentials(credentials: Credentials | undefined): HeldCredentials {
  const fail = (why: string) => new ConfigError(`Failed to create the Ordergroove client: ${why}`);
  if (!credentials || typeof credentials !== "object") {
    throw fail('no credentials. Pass { kind: "hmac", publicId, sigField, hashKey } or { kind: "api-key", apiKey }.');
  }
  if (credentials.kind === "api-key") {
    if (typeof credentials.apiKey !== "string" || !credentials.apiKey) throw fail("apiKey must be a non-empty string.");
    return { kind: "api-key", apiKey: new Secret(credentials.apiKey) };
  }
  if (credentials.kind === "hmac") {
    for (const field of ["publicId", "sigField", "hashKey"] as const) {
      if (typeof credentials[field] !== "string" || !credentials[field])
        throw fail(`${field} must be a non-empty string.`);
    }
    return {
      kind: "hmac",
      publicId: credentials.publicId,
      sigField: credentials.sigField,
      hashKey: new Secret(credentials.hashKey),
      trustLevel: credentials.trustLevel,
    };
  }
  throw fail(
    `credentials.kind must be "hmac" or "api-key"; got ${JSON.stringify((credentials as { kind?: unknown }).kind)}.`,
  );
}

export function secretsOf(credentials: HeldCredentials): string[] {
  return credentials.kind === "api-key" ? [credentials.apiKey.reveal()] : [credentials.hashKey.reveal()];
}
