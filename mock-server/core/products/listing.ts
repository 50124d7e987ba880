/**
 * GET /products/ (both pagination styles), the group check and GET /product_groups/.
 *
 * Cost: a cursor page starts at the cursor's position in the catalog's order (O(1)) and visits
 * products until the page is full, so an unfiltered page of 100 costs O(100) whatever the
 * catalog's size. `external_product_ids[]` is indexed (one lookup per id). Every other filter
 * (live, search, group, type...) is a predicate checked on each product visited: a page of a
 * filter few products match visits many products, up to the whole catalog. The page-number form
 * (what every public client sends) needs every match for `count`: one walk of the catalog per
 * filter, kept while the catalog is unchanged (its `version`), so a client that walks a 100k
 * catalog page by page pays for one scan, not one per page (bench figure 8).
 */
import { Buffer } from "node:buffer";
import { openapiDocument } from "../../../shared/generated/document.js";
import type { components } from "../../../shared/generated/openapi.js";
import type { Catalog, FieldReader, Product } from "./catalog.js";
import { firstCharacters } from "../../../shared/validation/characters.js";
import { type CoreRequest, type CoreResponse, detail, json } from "../messages.js";

type GroupType = components["schemas"]["ProductGroupType"];
type ProductGroup = components["schemas"]["ProductGroup"];

export const GROUP_TYPES: readonly GroupType[] = ["eligibility", "incentive", "sku_swap"];
/** The filter's values are the spec's ProductType, what a request may set (found by Schemathesis). */
const PRODUCT_TYPES: readonly string[] = openapiDocument.components.schemas.ProductType.enum;
const SEARCH_FIELDS = ["name", "sku", "external_product_id"] as const;
export const PAGE_SIZE_DEFAULT = 10;
export const PAGE_SIZE_MAX = 100;

type Match = (field: FieldReader) => boolean;

class BadQuery extends Error {}

/** The origin next/previous links are built on: the host's, else the Host header's. */
export function originOf(req: CoreRequest): string {
  if (req.origin) return req.origin.replace(/\/+$/, "");
  return `http://${req.headers.host ?? "localhost"}`;
}

export function listProducts(catalog: Catalog, req: CoreRequest): CoreResponse {
  const [pathname, search = ""] = splitPath(req.path);
  const query = new URLSearchParams(search);
  let match: Match;
  let ids: string[] | undefined;
  try {
    ({ match, ids } = filtersOf(query));
  } catch (error) {
    if (error instanceof BadQuery) return detail(400, error.message);
    throw error;
  }
  const pageSize = pageSizeOf(query);
  const link = (set: Record<string, string>, drop: string[]) => {
    const q = new URLSearchParams(query);
    for (const name of drop) q.delete(name);
    for (const [name, value] of Object.entries(set)) q.set(name, value);
    return `${originOf(req)}${pathname}?${q.toString()}`;
  };
  // The list of matching positions when it is indexed (external_product_ids[]), else a walk of the catalog.
  const positions = ids && indexedPositions(catalog, ids);
  if (req.headers["x-og-api-version"]?.trim() === "2") {
    return cursorPage(catalog, query.get("cursor"), pageSize, match, positions, link);
  }
  return numberedPage(catalog, query.get("page"), pageSize, matchesOf(catalog, query, match, positions), link);
}

/** GET /products/{id}/{group_type}/{group_name}: `{product_has_group}`. */
export function productHasGroup(catalog: Catalog, id: string, groupType: string, groupName: string): CoreResponse {
  if (!GROUP_TYPES.includes(groupType as GroupType)) {
    return detail(400, `group_type must be one of ${GROUP_TYPES.join(", ")}; got ${JSON.stringify(groupType)}.`);
  }
  const product = catalog.get(id);
  if (!product)
    return detail(404, `Not found: no product with external_product_id ${JSON.stringify(firstCharacters(id, 255))}.`);
  const has = (product.groups ?? []).some((g) => g.group_type === groupType && g.name === groupName);
  return json(200, { product_has_group: has });
}

/** GET /product_groups/: the groups the catalog's products carry, in the order first seen, page-number paged. */
export function listProductGroups(catalog: Catalog, req: CoreRequest): CoreResponse {
  const [pathname, search = ""] = splitPath(req.path);
  const query = new URLSearchParams(search);
  const seen = new Map<string, ProductGroup>();
  for (const { field } of catalog.walk(0, 1)) {
    for (const g of field("groups") ?? []) {
      const key = `${g.group_type}\u0000${g.name}`;
      if (!seen.has(key)) seen.set(key, { name: g.name, group_type: g.group_type });
    }
  }
  const all = [...seen.values()];
  const size = pageSizeOf(query);
  const page = pageNumberOf(query.get("page"));
  const last = Math.max(1, Math.ceil(all.length / size));
  if (page === undefined || page > last) return detail(404, "Invalid page.");
  const link = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("page", String(n));
    return `${originOf(req)}${pathname}?${q.toString()}`;
  };
  return json(200, {
    count: all.length,
    next: page < last ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: all.slice((page - 1) * size, page * size),
  });
}

function cursorPage(
  catalog: Catalog,
  rawCursor: string | null,
  size: number,
  match: Match,
  positions: number[] | undefined,
  link: (set: Record<string, string>, drop: string[]) => string,
): CoreResponse {
  let cursor: Cursor = { position: -1, reverse: false };
  if (rawCursor !== null) {
    const decoded = decodeCursor(rawCursor, catalog.epoch);
    if (!decoded) return detail(404, "Invalid cursor");
    cursor = decoded;
  }
  // Forward: positions after the cursor. Backward (a `previous` link): positions before it.
  const step = cursor.reverse ? -1 : 1;
  const start = cursor.reverse ? cursor.position - 1 : cursor.position + 1;
  const found = collect(catalog, start, step, size + 1, match, positions);
  const more = found.length > size;
  const page = found.slice(0, size);
  if (cursor.reverse) page.reverse();
  const first = page[0]?.position;
  const last = page.at(-1)?.position;
  // Is there anything on the other side of this page? One match is enough to say yes.
  const before = cursor.reverse
    ? more
    : first !== undefined
      ? collect(catalog, first - 1, -1, 1, match, positions).length > 0
      : rawCursor !== null && collect(catalog, start - 1, -1, 1, match, positions).length > 0;
  const after = cursor.reverse
    ? last !== undefined
      ? collect(catalog, last + 1, 1, 1, match, positions).length > 0
      : collect(catalog, start + 1, 1, 1, match, positions).length > 0
    : more;
  const at = (c: Cursor) => link({ cursor: encodeCursor(c, catalog.epoch) }, ["cursor", "page"]);
  const next = after ? at({ position: last ?? start, reverse: false }) : null;
  const previous = before ? at({ position: first ?? start, reverse: true }) : null;
  return json(200, { next, previous, results: page.map((p) => catalog.get(p.id)!) });
}

function numberedPage(
  catalog: Catalog,
  rawPage: string | null,
  size: number,
  all: readonly string[],
  link: (set: Record<string, string>, drop: string[]) => string,
): CoreResponse {
  const page = pageNumberOf(rawPage);
  const last = Math.max(1, Math.ceil(all.length / size));
  if (page === undefined || page > last) return detail(404, "Invalid page.");
  const at = (n: number) => link({ page: String(n) }, ["cursor", "page"]);
  const results: Product[] = [];
  for (let i = (page - 1) * size; i < Math.min(page * size, all.length); i++) results.push(catalog.get(all[i]!)!);
  return json(200, {
    count: all.length,
    next: page < last ? at(page + 1) : null,
    previous: page > 1 ? at(page - 1) : null,
    results,
  });
}

/** Filters whose matches are kept, per catalog; the oldest goes first. A bound, not a tuning knob. */
const KEPT_FILTERS = 8;
const kept = new WeakMap<Catalog, Map<string, { version: number; ids: string[] }>>();

/**
 * The ids of every product the query's filters match, in catalog order: walked once, then kept
 * until the catalog changes. Pagination parameters are not part of the key: every page of one
 * listing shares the walk.
 */
function matchesOf(catalog: Catalog, query: URLSearchParams, match: Match, positions: number[] | undefined): string[] {
  const filters = new URLSearchParams(query);
  for (const name of ["page", "page_size", "cursor"]) filters.delete(name);
  filters.sort();
  const key = filters.toString();
  let byFilter = kept.get(catalog);
  const hit = byFilter?.get(key);
  if (hit && hit.version === catalog.version) return hit.ids;
  const ids = collect(catalog, 0, 1, Number.POSITIVE_INFINITY, match, positions).map((p) => p.id);
  if (!byFilter) kept.set(catalog, (byFilter = new Map()));
  byFilter.delete(key);
  if (byFilter.size >= KEPT_FILTERS) byFilter.delete(byFilter.keys().next().value!);
  byFilter.set(key, { version: catalog.version, ids });
  return ids;
}

/** Up to `limit` matching products from `start` in direction `step`. */
function collect(
  catalog: Catalog,
  start: number,
  step: 1 | -1,
  limit: number,
  match: Match,
  positions: number[] | undefined,
): Array<{ position: number; id: string }> {
  const out: Array<{ position: number; id: string }> = [];
  if (limit <= 0) return out;
  if (positions) {
    // Indexed: only the requested ids, in catalog order.
    const ordered = step === 1 ? positions : [...positions].reverse();
    for (const position of ordered) {
      if (step === 1 ? position < start : position > start) continue;
      for (const entry of catalog.walk(position, 1)) {
        if (entry.position === position && match(entry.field)) out.push({ position, id: entry.id });
        break;
      }
      if (out.length >= limit) break;
    }
    return out;
  }
  for (const entry of catalog.walk(start, step)) {
    if (!match(entry.field)) continue;
    out.push({ position: entry.position, id: entry.id });
    if (out.length >= limit) break;
  }
  return out;
}

function indexedPositions(catalog: Catalog, ids: string[]): number[] {
  const positions = new Set<number>();
  for (const id of ids) {
    const p = catalog.positionOf(id);
    if (p !== undefined) positions.add(p);
  }
  return [...positions].sort((a, b) => a - b);
}

/** The filters as one predicate, plus the id list when `external_product_ids[]` is given. */
function filtersOf(query: URLSearchParams): { match: Match; ids?: string[] } {
  const checks: Match[] = [];
  const autoship = one(query, "autoship_enabled");
  if (autoship === undefined || autoship === "true") checks.push((f) => f("autoship_enabled") === true);
  else if (autoship === "false") checks.push((f) => f("autoship_enabled") === false);
  else if (autoship !== "all") throw bad("autoship_enabled", autoship, ["all", "false"]);
  const discontinued = one(query, "allow_discontinued");
  if (discontinued === undefined || discontinued === "false") checks.push((f) => f("discontinued") !== true);
  else if (discontinued === "strict") checks.push((f) => f("discontinued") === true);
  else if (discontinued !== "true") throw bad("allow_discontinued", discontinued, ["true", "strict"]);
  for (const name of ["live", "autoship_by_default"] as const) {
    const raw = one(query, name);
    if (raw === undefined) continue;
    const value = booleanOf(raw, name);
    checks.push((f) => f(name) === value);
  }
  const productType = one(query, "product_type");
  if (productType !== undefined) {
    if (!PRODUCT_TYPES.includes(productType)) throw bad("product_type", productType, PRODUCT_TYPES);
    checks.push((f) => f("product_type") === productType);
  }
  const groupName = one(query, "group_name");
  const groupType = one(query, "group_type");
  if (groupType !== undefined && !GROUP_TYPES.includes(groupType as GroupType)) {
    throw bad("group_type", groupType, GROUP_TYPES);
  }
  if (groupName !== undefined || groupType !== undefined) {
    checks.push((f) =>
      (f("groups") ?? []).some(
        (g) =>
          (groupName === undefined || g.name === groupName) && (groupType === undefined || g.group_type === groupType),
      ),
    );
  }
  const text = one(query, "search");
  // Checked with or without a search, as django-filter validates every filter it is given.
  const fields = one(query, "fields");
  if (fields !== undefined && !(SEARCH_FIELDS as readonly string[]).includes(fields)) {
    throw bad("fields", fields, SEARCH_FIELDS);
  }
  if (text !== undefined && text !== "") {
    const where = fields === undefined ? SEARCH_FIELDS : [fields as (typeof SEARCH_FIELDS)[number]];
    const needle = text.toLowerCase();
    checks.push((f) => where.some((name) => (f(name) ?? "").toLowerCase().includes(needle)));
  }
  const idOrName = one(query, "id_or_name");
  if (idOrName !== undefined && idOrName !== "") {
    const needle = idOrName.toLowerCase();
    checks.push((f) => f("external_product_id") === idOrName || (f("name") ?? "").toLowerCase().includes(needle));
  }
  const match: Match = (f) => {
    for (const check of checks) if (!check(f)) return false;
    return true;
  };
  // Repeated `external_product_ids[]` as documented: each value is one id, whatever its text (an
  // id may hold a comma, which used to split it: issue 34). An empty one names no product.
  const ids = [...query.getAll("external_product_ids[]"), ...query.getAll("external_product_ids")];
  if (ids.length === 0) return { match };
  return { match, ids };
}

function one(query: URLSearchParams, name: string): string | undefined {
  return query.get(name) ?? undefined;
}

function booleanOf(raw: string, name: string): boolean {
  // Django REST framework's BooleanFilter accepts these spellings.
  if (raw === "true" || raw === "True" || raw === "1") return true;
  if (raw === "false" || raw === "False" || raw === "0") return false;
  throw bad(name, raw, ["true", "false"]);
}

function bad(name: string, value: string, allowed: readonly string[]): BadQuery {
  return new BadQuery(
    `Invalid filter ${name}=${JSON.stringify(value.slice(0, 100))}: expected one of ${allowed.join(", ")}.`,
  );
}

/** Django REST framework's behaviour: an invalid page_size is ignored, a large one capped. */
function pageSizeOf(query: URLSearchParams): number {
  const raw = query.get("page_size");
  if (raw === null || !/^\d+$/.test(raw) || Number(raw) < 1) return PAGE_SIZE_DEFAULT;
  return Math.min(Number(raw), PAGE_SIZE_MAX);
}

function pageNumberOf(raw: string | null): number | undefined {
  if (raw === null) return 1;
  return /^\d+$/.test(raw) && Number(raw) >= 1 ? Number(raw) : undefined;
}

interface Cursor {
  position: number;
  reverse: boolean;
}

/** Opaque to clients: base64url of the epoch, a position and a direction. */
function encodeCursor(c: Cursor, epoch: number): string {
  return Buffer.from(`e=${epoch}&p=${c.position}&r=${c.reverse ? 1 : 0}`).toString("base64url");
}

function decodeCursor(raw: string, epoch: number): Cursor | undefined {
  const m = /^e=(\d+)&p=(-?\d+)&r=([01])$/.exec(Buffer.from(raw, "base64url").toString("utf8"));
  if (!m || Number(m[1]) !== epoch) return undefined;
  return { position: Number(m[2]), reverse: m[3] === "1" };
}

function splitPath(path: string): [string, string | undefined] {
  const i = path.indexOf("?");
  return i < 0 ? [path, undefined] : [path.slice(0, i), path.slice(i + 1)];
}
