/**
 * Checks an answer against the spec: is its status documented for the operation (or covered by
 * `default`), and does its JSON body match the documented schema? Used by the fake's tests, the
 * contract tests and the fuzzer, so "every answer validates against the spec" means one thing.
 */
import { openapiDocument } from "../generated/document.js";
import { compileSchema } from "./runtime-schemas.js";
import { describeSchemaError } from "./schemas.js";

type Doc = typeof openapiDocument;
type PathKey = keyof Doc["paths"];

interface Template {
  key: PathKey;
  pattern: RegExp;
}

const templates: Template[] = (Object.keys(openapiDocument.paths) as PathKey[]).map((key) => ({
  key,
  pattern: new RegExp(`^${key.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

/** The spec's path template for a concrete path (query string ignored), if any. */
export function matchPathTemplate(path: string): PathKey | undefined {
  const pathname = path.split("?")[0] ?? path;
  return templates.find((t) => t.pattern.test(pathname))?.key;
}

export interface AnswerToCheck {
  method: string;
  path: string;
  status: number;
  headers?: Record<string, string | undefined>;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

/**
 * Problems with the answer, each a sentence naming the clause of the contract it breaks;
 * empty when the answer is as documented. An answer to an undocumented route must be a
 * `{detail}` error.
 */
export function checkAnswer(answer: AnswerToCheck): string[] {
  const where = `${answer.method.toUpperCase()} ${answer.path} → ${answer.status}`;
  // A CORS preflight is answered by the service's CORS layer on any path (the spec's x-og-cors).
  if (answer.method.toUpperCase() === "OPTIONS") return preflightProblems(answer, where);
  const template = matchPathTemplate(answer.path);
  const operations = template ? (openapiDocument.paths[template] as Record<string, unknown>) : undefined;
  const operation = operations?.[answer.method.toLowerCase()] as
    | { responses: Record<string, { $ref?: string; content?: Record<string, { schema: { $ref?: string } }> }> }
    | undefined;
  if (!operation) {
    // A known path without its trailing slash: a redirect to it (behaviour.missingTrailingSlash), no body.
    if (answer.status === 301) {
      const location = Object.entries(answer.headers ?? {}).find(([k]) => k.toLowerCase() === "location")?.[1];
      return location ? [] : [`${where}: a redirect names its target in Location`];
    }
    // Unknown route or method: the fake answers 404/405 with the spec's Error shape.
    return schemaProblems("Error", answer.body, where);
  }
  const documented = operation.responses[String(answer.status)];
  const response = documented ?? operation.responses.default;
  if (!response) return [`${where}: status ${answer.status} is not documented for this operation`];
  const resolved = response.$ref ? resolveRef(response.$ref) : response;
  const problems: string[] = [];
  const schemaRef = resolved.content?.["application/json"]?.schema?.$ref;
  if (schemaRef) problems.push(...schemaProblems(schemaRef, answer.body, where));
  const headers = (resolved as { headers?: Record<string, unknown> }).headers;
  if (headers && "Retry-After" in headers) {
    // Ordergroove sends Retry-After with its per-merchant throttle but promises none with its
    // per-IP limit: absent is documented (unless the spec marks it required), malformed is not.
    const value = answer.headers?.["retry-after"];
    const spec = headers["Retry-After"] as { $ref?: string; required?: boolean };
    const required = (spec.$ref ? (resolveRef(spec.$ref) as { required?: boolean }) : spec).required === true;
    if ((value === undefined && required) || (value !== undefined && !/^\d+$/.test(value))) {
      problems.push(`${where}: the Retry-After header must be whole seconds; got ${JSON.stringify(value)}`);
    }
  }
  return problems;
}

function schemaProblems(ref: string, body: unknown, where: string): string[] {
  const validate = compileSchema(ref);
  if (body === undefined) return [`${where}: the body must be JSON matching ${ref}; there was none`];
  return validate(body) ? [] : [`${where}: the body does not match ${ref}: ${describeSchemaError(validate.errors)}`];
}

function resolveRef(ref: string): { content?: Record<string, { schema: { $ref?: string } }> } {
  let node: unknown = openapiDocument;
  for (const part of ref.replace(/^#\//, "").split("/")) node = (node as Record<string, unknown>)[part];
  return node as { content?: Record<string, { schema: { $ref?: string } }> };
}

function preflightProblems(answer: AnswerToCheck, where: string): string[] {
  // Refused before the CORS layer (headers too large, a bad request line): the usual error shape.
  if (answer.status >= 400) return schemaProblems("Error", answer.body, where);
  const problems: string[] = [];
  if (answer.status !== 204) problems.push(`${where}: a CORS preflight is answered 204 (x-og-cors)`);
  const origin = Object.entries(answer.headers ?? {}).find(
    ([k]) => k.toLowerCase() === "access-control-allow-origin",
  )?.[1];
  if (origin !== "*") problems.push(`${where}: a CORS preflight allows every origin (access-control-allow-origin: *)`);
  return problems;
}
