/**
 * What every shadow comparison shares (./shadow.ts): the difference it lists, the replay against
 * the fake, and the status and form checks each operation makes before its own.
 */
import { signedHeaders, unixSeconds } from "../../../shared/auth/signature.js";
import type { CoreRequest, CoreResponse } from "../messages.js";
import type { OrdergrooveMock } from "../mock.js";

/** One way the fake's outcome differs from the real one, and the setting that would explain it, where one does. */
export interface Difference {
  /** A JSON pointer: "" the answer as a whole, "/items/<product_id>" one batch item, "/<field>" one field. */
  pointer: string;
  message: string;
  real: unknown;
  fake: unknown;
  /** The behaviour setting (or calibration observation) that would explain it, e.g. `answer.batchStatus`. */
  setting?: string;
}

/**
 * The request answered by the fake. It authenticates with the fake's own credentials (the
 * merchant's are the service's to check, and the proxy already checked their shape); the fake
 * journals it as any request. Faults a user set are for the fake's own answers: a replay neither
 * meets nor uses them up.
 */
export function replayOnFake(mock: OrdergrooveMock, req: CoreRequest): CoreResponse {
  return mock.handle({ ...req, headers: withFakeCredentials(req.headers, mock) }, { replay: true });
}

export function processed(status: number): boolean {
  return status >= 200 && status < 300;
}

/** `answered` names what was answered in the message ("the batch", "the request"). */
export function statusDifference(
  answered: string,
  real: number,
  fake: number,
  setting: string | undefined,
): Difference | undefined {
  if (real === fake) return undefined;
  return {
    pointer: "",
    message: `${answered} was answered ${real} by the service and ${fake} by the fake`,
    real,
    fake,
    ...(setting ? { setting } : {}),
  };
}

/** The JSON form of an answer's body: a list, an object, another JSON value, or no JSON at all. */
export function formOf(body: unknown): string {
  if (body === undefined) return "not JSON";
  if (Array.isArray(body)) return "list";
  return body !== null && typeof body === "object" ? "object" : "another JSON value";
}

export function formDifference(realBody: unknown, fakeBody: unknown, setting?: string): Difference | undefined {
  const real = formOf(realBody);
  const fake = formOf(fakeBody);
  if (real === fake) return undefined;
  return {
    pointer: "",
    message: `the answer's form is ${real} from the service and ${fake} from the fake`,
    real,
    fake,
    // The setting chooses between a list and an object; it explains no answer that is not JSON.
    ...(setting && SETTABLE_FORMS.has(real) && SETTABLE_FORMS.has(fake) ? { setting } : {}),
  };
}

/**
 * The first comparison of a replay: status, then answer form. `more` is false when nothing else
 * can agree: an answer to HEAD has no body, an answer one side did not process has nothing to
 * compare, and answers of different forms have no fields in common.
 */
export function statusAndForm(
  answered: string,
  req: CoreRequest,
  realStatus: number,
  realBody: unknown,
  fake: CoreResponse,
): { differences: Difference[]; more: boolean } {
  const differences: Difference[] = [];
  const status = statusDifference(answered, realStatus, fake.status, undefined);
  if (status) differences.push(status);
  if (req.method.toUpperCase() === "HEAD" || !processed(realStatus) || !processed(fake.status)) {
    return { differences, more: false };
  }
  const form = formDifference(realBody, fake.body);
  if (form) differences.push(form);
  return { differences, more: !form };
}

const SETTABLE_FORMS = new Set(["list", "object"]);

/** A JSON pointer's token for a key (RFC 6901). */
export function pointerToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** The request's headers with the fake's own credentials instead of the merchant's. */
function withFakeCredentials(
  headers: Record<string, string | undefined>,
  mock: OrdergrooveMock,
): Record<string, string | undefined> {
  const { authorization: _a, "og-authorization": _o, "x-api-key": _k, ...rest } = headers;
  const { apiKeys, apiUsers, publicId } = mock.options.credentials;
  if (apiKeys[0] !== undefined) return { ...rest, "x-api-key": apiKeys[0] };
  const user = apiUsers[0];
  if (!user) return rest;
  return { ...rest, ...signedHeaders({ publicId, ...user }, unixSeconds(mock.options.clock.now())) };
}
