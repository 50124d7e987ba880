/**
 * Ordergroove's HMAC signature for the API-user scope, shared by the client (to sign) and the
 * fake (to verify), so both sides cannot disagree on the recipe:
 *
 *   message = "<sig_field>|<ts>"            (or "<sig_field>|<trust_level>|<ts>" with trust groups)
 *   sig     = base64( HMAC-SHA256( key = hash key, message ) )   UTF-8 in, padded base64 out
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface SignatureInput {
  /** The API user's (or merchant-level) id that Ordergroove looks the hash key up by. */
  sigField: string;
  /** Unix time in whole seconds. */
  ts: number;
  /** Only with trust groups: signed between sig_field and ts, and sent as `trust_level`. */
  trustLevel?: string | undefined;
}

/** The exact text that is signed. */
export function signedMessage({ sigField, ts, trustLevel }: SignatureInput): string {
  return trustLevel === undefined ? `${sigField}|${ts}` : `${sigField}|${trustLevel}|${ts}`;
}

export function computeSignature(hashKey: string, input: SignatureInput): string {
  return createHmac("sha256", hashKey).update(signedMessage(input), "utf8").digest("base64");
}

export interface ApiUserCredentials {
  publicId: string;
  sigField: string;
  hashKey: string;
  trustLevel?: string | undefined;
}

/** The JSON that goes, as a string, in the `authorization` header. Key order as Ordergroove prints it. */
export interface AuthorizationPayload {
  public_id: string;
  ts: number;
  sig_field: string;
  sig: string;
  trust_level?: string;
}

export function authorizationPayload(credentials: ApiUserCredentials, ts: number): AuthorizationPayload {
  const input = { sigField: credentials.sigField, ts, trustLevel: credentials.trustLevel };
  const payload: AuthorizationPayload = {
    public_id: credentials.publicId,
    ts,
    sig_field: credentials.sigField,
    sig: computeSignature(credentials.hashKey, input),
  };
  if (credentials.trustLevel !== undefined) payload.trust_level = credentials.trustLevel;
  return payload;
}

/** The two headers of the API-user scope, signed for `ts` (unix seconds). */
export type SignedHeaders = {
  authorization: string;
  "og-authorization": "True";
};

export function signedHeaders(credentials: ApiUserCredentials, ts: number): SignedHeaders {
  return {
    authorization: JSON.stringify(authorizationPayload(credentials, ts)),
    "og-authorization": "True",
  };
}

/**
 * Compares two secrets in constant time. Both sides are hashed first so that neither the
 * length nor the content of the expected value leaks through timing.
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db);
}

/**
 * Compares a signature with the expected one in constant time. A signature's length is public
 * (44 characters for base64 SHA-256), so unlike `constantTimeEqual` no hashing is needed to hide it.
 */
export function signaturesEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

export function unixSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}
