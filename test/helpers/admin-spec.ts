/** Checks the fake's admin answers against spec/admin.openapi.yaml, so the spec says what the fake does. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { parse } from "yaml";
import { ROOT } from "./spawn.js";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
type Node = Record<string, unknown>;

export const adminSpec = parse(readFileSync(join(ROOT, "spec/admin.openapi.yaml"), "utf8")) as Node;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
ajv.addSchema(adminSpec, "admin");
// The admin spec refers to these by file name (resolved against "admin", a relative base).
ajv.addSchema(
  parse(readFileSync(join(ROOT, "spec/ordergroove.openapi.yaml"), "utf8")) as Node,
  "ordergroove.openapi.yaml",
);
ajv.addSchema(
  JSON.parse(readFileSync(join(ROOT, "spec/merchants.schema.json"), "utf8")) as Node,
  "merchants.schema.json",
);

/** A validator of any place in the admin spec, e.g. `#/components/schemas/Faults`. */
export function adminValidator(pointer: string): (value: unknown) => boolean {
  const validate = ajv.getSchema(`admin${pointer}`);
  if (!validate) throw new Error(`cannot compile ${pointer}`);
  return (value) => validate(value) as boolean;
}

function resolve(node: Node): Node {
  if (typeof node.$ref !== "string") return node;
  let out: unknown = adminSpec;
  for (const part of node.$ref.slice(2).split("/")) out = (out as Node)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  return out as Node;
}

/** Problems with an answer to `method template` (e.g. "GET", "/__admin/catalog"); empty when it is as specified. */
export function adminAnswerProblems(method: string, template: string, status: number, body: unknown): string[] {
  const operation = (adminSpec.paths as Record<string, Node>)[template]?.[method.toLowerCase()] as Node | undefined;
  if (!operation) return [`the spec has no ${method} ${template}`];
  const response = (operation.responses as Record<string, Node>)[String(status)];
  if (!response) return [`the spec has no ${status} answer for ${method} ${template}`];
  const content = resolve(response).content as Record<string, Node> | undefined;
  const media = content?.["application/json"];
  if (!media) return body === undefined ? [] : [`the spec gives no JSON body for ${status} of ${method} ${template}`];
  const pointer = `admin#/paths/${template.replace(/~/g, "~0").replace(/\//g, "~1")}/${method.toLowerCase()}/responses/${status}`;
  const schemaRef =
    typeof response.$ref === "string"
      ? `admin${response.$ref}/content/application~1json/schema`
      : `${pointer}/content/application~1json/schema`;
  const validate = ajv.getSchema(schemaRef);
  if (!validate) return [`cannot compile ${schemaRef}`];
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * Problems with an answer to an admin call by its concrete path (e.g. "/__admin/products/x?y=1"):
 * the path template is found first. Unknown routes (404) and methods (405) are the fake's generic
 * answers and need no operation. Every call through `og.admin()` in the tests is checked with it.
 */
export function checkAdminAnswer(method: string, path: string, status: number, body: unknown): string[] {
  const paths = adminSpec.paths as Record<string, Node>;
  const pathname = path.split("?")[0]!.replace(/\/$/, "");
  const template = Object.keys(paths)
    .filter((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, ".+")}/?$`).test(pathname))
    .sort((a, b) => (a.includes("{") ? 1 : 0) - (b.includes("{") ? 1 : 0))[0];
  if (!template) return status === 404 ? [] : [`${method} ${pathname}: no such path in the admin spec`];
  const verb = method.toUpperCase() === "HEAD" ? "GET" : method.toUpperCase();
  if (!paths[template]![verb.toLowerCase()]) return status === 405 ? [] : [`${method} ${template}: no such operation`];
  return adminAnswerProblems(verb, template, status, body).map((p) => `${method} ${template} ${status}: ${p}`);
}
